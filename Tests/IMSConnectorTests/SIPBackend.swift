import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
@testable import PresenceServer
import SIP

/// The SIP server a connector test runs against: the embedded presence server, or a real
/// Kamailio started from scripts/infra/kamailio (which must be installed: the test fails,
/// never skips, when it is not).
enum SIPBackendKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case embedded
    case kamailio
    var description: String { rawValue }
}

/// A running backend: its address and how to stop it.
final class SIPBackend: Sendable {
    static let users = ["alice": "alice-secret", "bob": "bob-secret", "carol": "carol-secret"]
    static let domain = "127.0.0.1"

    let kind: SIPBackendKind
    let port: Int
    let transport: SIPTransportKind
    private let presenceServer: PresenceServer?
    private let directory: String?

    private init(kind: SIPBackendKind, port: Int, transport: SIPTransportKind, presenceServer: PresenceServer?, directory: String?) {
        self.kind = kind
        self.port = port
        self.transport = transport
        self.presenceServer = presenceServer
        self.directory = directory
    }

    var endpoint: SIPEndpoint { get throws { try SIPEndpoint(transport, host: "127.0.0.1", port: port) } }

    /// `timers` run the embedded server (Kamailio has its own). `strangers` (Kamailio only): subscribers who are
    /// nobody's contact, so that their watching stays pending under the pres-rules kamailio.sh provisions.
    static func start(
        _ kind: SIPBackendKind, transport: SIPTransportKind = .udp, timers: SIPTimers = SIPTimers(), strangers: [String: String] = [:]
    ) async throws -> SIPBackend {
        switch kind {
        case .embedded:
            let server = PresenceServer(.init(udpPort: 0, tcpPort: 0, domain: domain, users: users, timers: timers, defaultRule: .allow))
            try await server.start()
            let address = transport == .udp ? await server.udpAddress : await server.tcpAddress
            return SIPBackend(kind: kind, port: address?.port ?? 0, transport: transport, presenceServer: server, directory: nil)
        case .kamailio:
            guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/kamailio") else {
                throw TestFailure("""
                    kamailio is not installed; install it with: apt-get install -y kamailio kamailio-presence-modules \
                    kamailio-websocket-modules kamailio-sqlite-modules sqlite3 sip-tester
                    """)
            }
            let directory = NSTemporaryDirectory() + "wse-kamailio-" + SIPIdentifiers.random(8)
            let port = Int.random(in: 21000...28999)
            let arguments = ["start", directory, "\(port)", "\(port + 1)"] + users.sorted(by: <).map { "\($0.key):\($0.value)" }
                + strangers.sorted(by: <).map { "~\($0.key):\($0.value)" }
            let output = try await runScript(arguments)
            guard output.contains("ready pid=") else { throw TestFailure("kamailio did not start: \(output)") }
            return SIPBackend(kind: kind, port: port, transport: transport, presenceServer: nil, directory: directory)
        }
    }

    /// When the embedded server's latest binding of `aor` expires, on its timers' clock.
    func bindingExpiry(of aor: String) async -> NIODeadline? {
        await presenceServer?.bindings[aor]?.map(\.expiresAt).max()
    }

    func stop() async {
        await presenceServer?.stop()
        if let directory { _ = try? await Self.runScript(["stop", directory]) }
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Runs kamailio.sh on a dispatch queue: waiting for the script must not block a
    /// Swift concurrency thread.
    private static func runScript(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runScriptBlocking(arguments) })
            }
        }
    }

    /// posix_spawn + waitpid rather than Foundation's Process, whose exit detection hung
    /// under `swift test`; output goes to a file, not a pipe, which kamailio would inherit.
    private static func runScriptBlocking(_ arguments: [String]) throws -> String {
        let script = repositoryRoot.appendingPathComponent("scripts/infra/kamailio/kamailio.sh").path
        let outputPath = NSTemporaryDirectory() + "wse-kamailio-sh-" + SIPIdentifiers.random(8) + ".log"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/bin/bash", script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestFailure("cannot run \(script): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }
}
