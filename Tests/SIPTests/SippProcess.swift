import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A sipp scenario from scripts/infra/sipp running as a UAS on loopback (sip-tester must
/// be installed: the test fails saying how, it never skips).
final class SippProcess: Sendable {
    let port: Int
    let pid: pid_t
    let logPath: String

    private init(port: Int, pid: pid_t, logPath: String) {
        self.port = port
        self.pid = pid
        self.logPath = logPath
    }

    static var scenarioDirectory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/infra/sipp")
    }

    /// Starts `sipp -sf scenario` listening on UDP 127.0.0.1:port for one call.
    static func start(scenario: String) throws -> SippProcess {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sipp") else {
            throw SippFailure("sipp is not installed; install it with: apt-get install -y sip-tester")
        }
        let port = Int.random(in: 21000...28999)
        let logPath = NSTemporaryDirectory() + "wse-sipp-\(port).log"
        let arguments = ["/usr/bin/sipp", "-sf", scenarioDirectory.appendingPathComponent(scenario).path, "-i", "127.0.0.1",
                         "-p", "\(port)", "-m", "1", "-nostdin", "-timeout", "30s"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard result == 0 else { throw SippFailure("cannot start sipp: errno \(result)") }
        return SippProcess(port: port, pid: pid, logPath: logPath)
    }

    /// Waits for sipp to exit (0: its scenario passed), off the Swift concurrency threads.
    func exitStatus() async -> Int32 {
        let pid = self.pid
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: (status >> 8) & 0xFF)
            }
        }
    }

    /// Stops sipp by its pid (for scenarios that never end by themselves).
    func stop() async {
        kill(pid, SIGKILL)
        _ = await exitStatus()
    }
}

struct SippFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
