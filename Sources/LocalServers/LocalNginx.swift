import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// nginx from Debian's package, run by us in the foreground (`daemon off`) with a configuration we give,
/// its files in a temporary folder, stopped by its PID.
public final class LocalNginx: Sendable {
    public static let binary = "/usr/sbin/nginx"
    public let directory: URL
    public let port: Int
    let process: ChildProcess

    private init(directory: URL, port: Int, process: ChildProcess) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    public var pid: pid_t { process.pid }

    /// Whether nginx is installed.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Starts nginx with `configuration`, in which `@PREFIX@` becomes its folder, and waits until it listens on `port`.
    public static func start(configuration: String, port: Int) async throws(LocalServerError) -> LocalNginx {
        guard isInstalled else { throw LocalServerError("nginx is not installed (no \(binary)): install it with `apt-get install nginx`") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wse-nginx-\(UUID().uuidString)")
        let file = directory.appendingPathComponent("nginx.conf")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try configuration.replacingOccurrences(of: "@PREFIX@", with: directory.path).write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw LocalServerError("cannot write the nginx configuration in \(directory.path): \(error)")
        }
        let process = try ChildProcess(
            [binary, "-p", directory.path, "-c", file.path, "-e", directory.appendingPathComponent("error.log").path, "-g", "daemon off;"],
            outputPath: directory.appendingPathComponent("nginx.out").path)
        do {
            try await LoopbackProbe.waitUntilListening(port: port, process: process, name: "nginx")
        } catch {
            _ = await process.stop()
            let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
            throw LocalServerError("\(error.description) \(log.split(separator: "\n").suffix(3).joined(separator: " "))")
        }
        return LocalNginx(directory: directory, port: port, process: process)
    }

    /// Stops nginx (SIGTERM: fast shutdown) and removes its folder.
    public func stop() async {
        _ = await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
