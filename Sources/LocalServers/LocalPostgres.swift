import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throw-away PostgreSQL server: `initdb` and `pg_ctl` into a temporary folder (as user `postgres`
/// through `runuser` when we run as root, since PostgreSQL refuses root), on a reserved loopback port,
/// trust authentication for `postgres`, stopped by its PID. For `wse demo --cluster` and the tests;
/// never for production data (fsync is off). It admits 1,000 connections: the tests run many nodes
/// at once, each with its pool, its change listener and its bus listener.
public final class LocalPostgres: Sendable {
    public let directory: URL
    public let port: Int
    public let pid: pid_t

    private init(directory: URL, port: Int, pid: pid_t) {
        self.directory = directory
        self.port = port
        self.pid = pid
    }

    /// The URL of `database` on this server, as `node.database` takes it.
    public func url(of database: String = "postgres") -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    /// Creates a cluster in a new temporary folder and starts it; every failure says what to install or fix.
    public static func start() async throws(LocalServerError) -> LocalPostgres {
        let binaries = try findBinaries()
        let asRoot = geteuid() == 0
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wse-pg-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw LocalServerError("cannot create \(directory.path): \(error)")
        }
        if asRoot {
            guard let postgres = getpwnam("postgres") else {
                throw LocalServerError("running as root, and PostgreSQL refuses root: create the user postgres (the Debian package postgresql does)")
            }
            guard chown(directory.path, postgres.pointee.pw_uid, postgres.pointee.pw_gid) == 0 else {
                throw LocalServerError("cannot give \(directory.path) to the user postgres: errno \(errno)")
            }
        }
        let data = directory.appendingPathComponent("data").path
        // Held until PostgreSQL listens (it binds with SO_REUSEADDR, so the reservation does not stop it).
        let reservation = try PortReservation()
        let port = reservation.port
        func tool(_ name: String, _ arguments: [String]) -> [String] {
            let path = binaries.appendingPathComponent(name).path
            return asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        }
        try await ChildProcess.run(
            tool("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]),
            outputPath: directory.appendingPathComponent("initdb.out").path)
        try await ChildProcess.run(
            tool("pg_ctl", [
                "-D", data, "-l", directory.appendingPathComponent("postgres.log").path, "-w", "-o",
                "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start",
            ]),
            outputPath: directory.appendingPathComponent("pg_ctl.out").path)
        withExtendedLifetime(reservation) {}
        let pidFile = (try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)) ?? ""
        guard let pid = pidFile.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw LocalServerError("PostgreSQL started but \(data)/postmaster.pid names no process")
        }
        return LocalPostgres(directory: directory, port: port, pid: pid)
    }

    /// Stops the server by its PID (fast shutdown) and removes its folder.
    public func stop() async {
        kill(pid, SIGINT)
        // The postmaster is not our child (pg_ctl detaches it), so there is no waitpid: like `pg_ctl stop -w`,
        // wait for it to remove its PID file, which it does last.
        let pidFile = directory.appendingPathComponent("data/postmaster.pid").path
        let deadline = ContinuousClock.now + .seconds(30)
        while FileManager.default.fileExists(atPath: pidFile), kill(pid, 0) == 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether the PostgreSQL server programs are installed.
    public static var isInstalled: Bool { (try? findBinaries()) != nil }

    /// The folder of `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/N/bin.
    static func findBinaries() throws(LocalServerError) -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let candidates = versions.compactMap(Int.init).sorted(by: >).map { root.appendingPathComponent("\($0)/bin") }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("pg_ctl").path) }) {
            return found
        }
        throw LocalServerError(
            "no PostgreSQL server is installed (no /usr/lib/postgresql/N/bin/pg_ctl): install it with `apt-get install postgresql`")
    }
}
