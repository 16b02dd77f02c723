import Foundation
import PresenceServer
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

    static func start(_ kind: SIPBackendKind, transport: SIPTransportKind = .udp) async throws -> SIPBackend {
        switch kind {
        case .embedded:
            let server = PresenceServer(.init(udpPort: 0, tcpPort: 0, domain: domain, users: users))
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
            let output = try runScript(arguments)
            guard output.contains("ready pid=") else { throw TestFailure("kamailio did not start: \(output)") }
            return SIPBackend(kind: kind, port: port, transport: transport, presenceServer: nil, directory: directory)
        }
    }

    func stop() async {
        await presenceServer?.stop()
        if let directory { _ = try? Self.runScript(["stop", directory]) }
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    private static func runScript(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [repositoryRoot.appendingPathComponent("scripts/infra/kamailio/kamailio.sh").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
