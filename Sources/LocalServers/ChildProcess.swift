import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program started by us, with its output in a file, stopped by its PID.
///
/// Spawned with `posix_spawn` rather than Foundation's `Process`, which waits for every copy of its output
/// pipe to close: a server that a tool starts (`pg_ctl` starts PostgreSQL) inherits it and keeps it open.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let command: [String]
    /// Where its standard output and error go.
    public let outputPath: String
    private let exit: Task<Int32, Never>
    private let exited = ExitFlag()

    /// Starts `command` (an absolute path and its arguments) with standard input from /dev/null.
    public init(_ command: [String], outputPath: String) throws(LocalServerError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours: a test runner or a node may hold thousands of sockets without FD_CLOEXEC, and
        // PostgreSQL refuses to start when those leave it too few descriptors under its own limit.
        Self.closeFrom(3, in: &actions)
        var argv = command.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        argv.append(nil)
        // Default signal handling and no blocked signals in the child, whatever this process (a service
        // lifecycle that catches SIGTERM, a test runner) has set: a server must stop on SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw LocalServerError("cannot run \(command[0]): \(String(cString: strerror(spawned)))") }
        self.pid = pid
        self.command = command
        self.outputPath = outputPath
        exit = Self.waitForExit(pid, exited: exited)
    }

    /// Runs `command` to its end. - Throws: when it fails, with the end of its output.
    public static func run(_ command: [String], outputPath: String) async throws(LocalServerError) {
        let child = try ChildProcess(command, outputPath: outputPath)
        let status = await child.waitForExit()
        guard status == 0 else {
            let name = URL(fileURLWithPath: command[0]).lastPathComponent
            throw LocalServerError("\(name) failed (exit status \(status)): \(child.outputTail())")
        }
    }

    /// The exit status once it has ended (the raw wait status for a signal).
    public func waitForExit() async -> Int32 { await exit.value }

    /// Whether it has ended (and been reaped).
    public var hasExited: Bool { exited.value.load(ordering: .acquiring) }

    /// Sends `signal` (SIGTERM asks a server to stop gracefully, SIGKILL kills it).
    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Asks it to stop with SIGTERM and waits; SIGKILL after `grace`.
    public func stop(grace: Duration = .seconds(10)) async -> Int32 {
        signal(SIGTERM)
        let exit = self.exit
        let killer = Task { [pid] in
            try? await Task.sleep(for: grace)
            if !Task.isCancelled { kill(pid, SIGKILL) }
        }
        let status = await exit.value
        killer.cancel()
        return status
    }

    /// The last lines of its output, for error messages.
    public func outputTail(lines: Int = 12) -> String {
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// waitpid blocks, so it waits on a thread of its own rather than on the cooperative pool.
    private static func waitForExit(_ pid: pid_t, exited: ExitFlag) -> Task<Int32, Never> {
        Task {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
                Thread.detachNewThread {
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                    exited.value.store(true, ordering: .releasing)
                    let normalExit = status & 0x7f == 0
                    continuation.resume(returning: normalExit ? (status >> 8) & 0xff : status)
                }
            }
        }
    }
}

/// Set once the child has been reaped (a reference, so that the waiting thread can set it).
private final class ExitFlag: Sendable {
    let value = Atomic<Bool>(false)
}

extension ChildProcess {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time: Swift's Glibc
    /// module does not export it. Without it (an older glibc) the child inherits what is not close-on-exec.
    private static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    fileprivate static func closeFrom(_ first: Int32, in actions: inout posix_spawn_file_actions_t) {
        _ = addCloseFrom?(&actions, first)
    }
}
