import Foundation
import Logging
import PostgresNIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A throw-away PostgreSQL server for the store tests: `initdb` and `pg_ctl` into a temporary folder (as user
/// `postgres` through `runuser` when the tests run as root), on a free loopback port, stopped by its PID at the end.
/// Each test gets a database of its own from ``makeDatabase()``.
public final class PostgresTestServer: Sendable {
    /// The server of the running suite (see ``PostgresServerTrait``), or why it could not start.
    @TaskLocal public static var current: Result<PostgresTestServer, any Error>?

    public let directory: URL
    public let port: Int
    public let pid: pid_t

    private init(directory: URL, port: Int, pid: pid_t) {
        self.directory = directory
        self.port = port
        self.pid = pid
    }

    /// The running suite's server; throws (so the test fails) with what to install when it could not start.
    public static func require() throws -> PostgresTestServer {
        guard let current else { throw TestFailure("this test needs PostgreSQL: put it in a suite with the .postgresServer trait") }
        return try current.get()
    }

    /// The URL of `database` on this server.
    public func url(of database: String) -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    /// Creates an empty database and returns its name.
    public func makeDatabase() async throws -> String {
        let name = "wse_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await execute("CREATE DATABASE \(name)", in: "postgres")
        return name
    }

    /// Runs one statement as the superuser in `database`, behind the store's back (to damage or age a schema).
    @discardableResult
    public func execute(_ sql: String, in database: String) async throws -> [PostgresRow] {
        var logger = Logger(label: "wse-test-postgres")
        logger.logLevel = .warning
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: "postgres", password: nil, database: database, tls: .disable),
            id: 1, logger: logger)
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Creates a cluster in a new temporary folder and starts it; every failure says what to install or fix.
    static func start() async throws -> PostgresTestServer {
        let binaries = try findBinaries()
        let asRoot = geteuid() == 0
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wse-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if asRoot {
            guard let postgres = getpwnam("postgres") else {
                throw TestFailure("the tests run as root, and PostgreSQL refuses root: create the user postgres (the Debian package postgresql does)")
            }
            guard chown(directory.path, postgres.pointee.pw_uid, postgres.pointee.pw_gid) == 0 else {
                throw TestFailure("cannot give \(directory.path) to the user postgres: errno \(errno)")
            }
        }
        let data = directory.appendingPathComponent("data").path
        let port = try freePort()
        try await run(binaries.appendingPathComponent("initdb").path, asRoot: asRoot, in: directory, arguments: [
            "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync",
        ])
        try await run(binaries.appendingPathComponent("pg_ctl").path, asRoot: asRoot, in: directory, arguments: [
            "-D", data, "-l", directory.appendingPathComponent("postgres.log").path, "-w", "-o",
            "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        ])
        let pidFile = try String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)
        guard let pid = pidFile.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw TestFailure("PostgreSQL started but \(data)/postmaster.pid names no process")
        }
        return PostgresTestServer(directory: directory, port: port, pid: pid)
    }

    /// Stops the server by its PID (fast shutdown) and removes its folder.
    func stop() async {
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

    /// The folder of `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/N/bin, else the one `pg_config` names.
    private static func findBinaries() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let candidates = versions.compactMap(Int.init).sorted(by: >).map { root.appendingPathComponent("\($0)/bin") }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("pg_ctl").path) }) {
            return found
        }
        throw TestFailure(
            "the PostgreSQL store tests need a PostgreSQL server, and none is installed (no /usr/lib/postgresql/N/bin/pg_ctl): "
                + "install it with `apt-get install postgresql` (or run scripts/install-test-deps.sh)")
    }

    /// Runs a PostgreSQL tool to its end (as `postgres` when we are root); its output goes to a file named in the error.
    ///
    /// Spawned directly rather than through Foundation's `Process`, which waits for a socket that the server
    /// `pg_ctl` starts inherits, so it would not see `pg_ctl` finish while PostgreSQL runs.
    private static func run(_ tool: String, asRoot: Bool, in directory: URL, arguments: [String]) async throws {
        let name = URL(fileURLWithPath: tool).lastPathComponent
        let output = directory.appendingPathComponent("\(name).out").path
        let command = asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] + arguments : [tool] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv = command.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        argv.append(nil)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestFailure("cannot run \(command[0]): errno \(spawned)") }
        // waitpid blocks, so it waits on a thread of its own rather than on the tests' pool.
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread.detachNewThread { [pid] in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        guard status == 0 else {
            let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw TestFailure("\(name) failed (wait status \(status)) while starting the test PostgreSQL: \(said)")
        }
    }

    /// A loopback TCP port nobody listens on right now (the kernel picks it).
    public static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("cannot open a socket: errno \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else { throw TestFailure("cannot find a free loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Starts one ``PostgresTestServer`` around a whole suite and stops it after; when it cannot start,
/// the suite still runs and each PostgreSQL case fails with the reason (what to install).
public struct PostgresServerTrait: SuiteTrait, TestScoping {
    public init() {}

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server: Result<PostgresTestServer, any Error>
        do {
            server = .success(try await PostgresTestServer.start())
        } catch {
            server = .failure(error)
        }
        do {
            try await PostgresTestServer.$current.withValue(server) { try await function() }
        } catch {
            if case .success(let running) = server { await running.stop() }
            throw error
        }
        if case .success(let running) = server { await running.stop() }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// A real PostgreSQL server for the suite's tests (see ``PostgresTestServer``).
    public static var postgresServer: Self { Self() }
}
