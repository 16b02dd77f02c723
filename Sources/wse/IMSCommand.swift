import ArgumentParser
import Foundation
import Logging
import PresenceServer
import SIP
import WSEApp
import WSELifecycle

/// `wse ims`: the embedded presence server (registrar, presence agent, MESSAGE relay).
struct IMSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ims", abstract: "Run the embedded presence server (registrar, presence agent, MESSAGE relay).",
        discussion: "Example: wse ims --udp 127.0.0.1:25060 --tcp 127.0.0.1:25060 --user alice:secret --user bob:secret")

    @Option(help: "UDP address host:port to listen on (port 0: any).")
    var udp: String?

    @Option(help: "TCP address host:port to listen on (port 0: any).")
    var tcp: String?

    @Option(name: .customLong("user"), help: "A user as name:password (repeatable). Every request must authenticate.")
    var users: [String] = []

    @Option(help: "The SIP domain of the users and the digest realm (default: the listening host).")
    var domain: String?

    @Option(help: "Digest algorithm: MD5 or SHA-256.")
    var algorithm = "MD5"

    func run() async throws {
        guard udp != nil || tcp != nil else { throw ValidationError("give --udp and/or --tcp") }
        let udpAddress = try udp.map(Self.hostPort)
        let tcpAddress = try tcp.map(Self.hostPort)
        if let udpAddress, let tcpAddress, udpAddress.host != tcpAddress.host {
            throw ValidationError("--udp and --tcp must use the same host")
        }
        var passwords: [String: String] = [:]
        for user in users {
            let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--user must be name:password, not '\(user)'") }
            passwords[parts[0]] = parts[1]
        }
        guard !passwords.isEmpty else { throw ValidationError("give at least one --user name:password") }
        guard let digest = DigestAlgorithm(token: algorithm) else { throw ValidationError("--algorithm must be MD5 or SHA-256") }
        let host = udpAddress?.host ?? tcpAddress!.host
        let server = PresenceServer(.init(host: host, udpPort: udpAddress?.port, tcpPort: tcpAddress?.port,
                                          domain: domain ?? host, users: passwords, algorithm: digest,
                                          defaultRule: .allow))  // a bare server: no one to set rules
        try await server.start()
        let udpPort = await server.udpAddress?.port
        let tcpPort = await server.tcpAddress?.port
        let ready = "wse ims: presence server for \(domain ?? host) ready on" + (udpPort.map { " udp:\(host):\($0)" } ?? "")
              + (tcpPort.map { " tcp:\(host):\($0)" } ?? "") + " (\(passwords.count) users, digest \(digest.rawValue))\n"
        FileHandle.standardOutput.write(Data(ready.utf8))  // unbuffered: readiness must reach a pipe at once
        // Serve until SIGINT/SIGTERM, then stop answering and close the sockets.
        try await NodeRunner.run([ShutdownHook { await server.stop() }], logger: Logger(label: "wse.ims"))
    }

    static func hostPort(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("'\(text)' is not host:port")
        }
        return (String(text[..<colon]), port)
    }
}
