import WSEApp
import Foundation
import IMSConnector
import NIOCore

/// The SIP/IMS core the demo's IMS connector registers the demo users with: the embedded presence
/// server, or an external core (e.g. Kamailio) given by `wse demo --sip-server`. It says where the
/// core listens, the domain of the users' addresses of record (`sip:alice@DOMAIN`, as the core was
/// provisioned) and each demo user's SIP password.
public struct DemoSIPCore: Sendable, Equatable, CustomStringConvertible {
    /// The core's SIP listener, e.g. `udp 127.0.0.1 25060`.
    public var transport: String
    public var host: String
    public var port: Int
    public var domain: String
    /// The demo user → SIP password.
    public var passwords: [String: String]

    public init(transport: String, host: String, port: Int, domain: String, passwords: [String: String]) {
        self.transport = transport
        self.host = host
        self.port = port
        self.domain = domain
        self.passwords = passwords
    }

    /// An external core from `--sip-server udp:HOST:PORT` (or `tcp:`), `--sip-domain` (nil: the
    /// server's host) and `--sip-users FILE`; the demo users are `users`.
    public init(server: String, domain: String?, usersFile: String, users: [String]) throws(NodeStartupError) {
        let parts = server.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, ["udp", "tcp"].contains(parts[0].lowercased()),
              let port = Int(parts[2]), (1...65535).contains(port), (try? SocketAddress(ipAddress: parts[1], port: port)) != nil
        else {
            throw NodeStartupError("--sip-server must be udp:HOST:PORT or tcp:HOST:PORT with an IP address, e.g. udp:127.0.0.1:25060, not '\(server)'")
        }
        let domain = domain ?? parts[1]
        guard !domain.isEmpty, !domain.contains(where: { $0 == "@" || $0 == ":" || $0.isWhitespace }) else {
            throw NodeStartupError("--sip-domain must be the host part of the users' SIP addresses (e.g. 127.0.0.1), not '\(domain)'")
        }
        let passwords = try Self.readPasswords(file: usersFile, users: users)
        self.init(transport: parts[0].lowercased(), host: parts[1], port: port, domain: domain, passwords: passwords)
    }

    /// `udp:127.0.0.1:25060`, as given to `--sip-server`.
    public var server: String { "\(transport):\(host):\(port)" }

    /// Where the core is and for whom, never the passwords (this may end up in a log).
    public var description: String { "\(server) (sip:USER@\(domain) for \(passwords.keys.sorted().joined(separator: ", ")))" }

    /// The IMS connector's configuration for this core.
    func connectorConfiguration(listenPort: Int, key: String) -> IMSConnectorConfiguration {
        IMSConnectorConfiguration(
            listen: .init(port: listenPort), key: key,
            sip: .init(server: .init(transport: transport, host: host, port: port), domain: domain),
            users: passwords.reduce(into: [:]) { users, entry in
                users[entry.key] = IMSConnectorConfiguration.Credentials(username: entry.key, password: entry.value)
            })
    }

    /// Reads `user:password` lines (blank lines and `#` comments skipped; the password is everything
    /// after the first colon). Every one of `users`, and no one else, must have a password.
    static func readPasswords(file: String, users: [String]) throws(NodeStartupError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw NodeStartupError("cannot read the SIP users file \(file): \(error.localizedDescription)")
        }
        var passwords: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let place = "\(file) line \(index + 1)"
            guard let colon = line.firstIndex(of: ":") else {
                throw NodeStartupError("\(place): expected user:password")
            }
            let user = String(line[..<colon]), password = String(line[line.index(after: colon)...])
            guard users.contains(user) else {
                throw NodeStartupError("\(place): '\(user)' is not a demo user (\(users.joined(separator: ", ")))")
            }
            guard !password.isEmpty else { throw NodeStartupError("\(place): \(user) has an empty password") }
            guard passwords[user] == nil else { throw NodeStartupError("\(place): \(user) is given twice") }
            passwords[user] = password
        }
        let missing = users.filter { passwords[$0] == nil }
        guard missing.isEmpty else {
            throw NodeStartupError("the SIP users file \(file) has no password for \(missing.joined(separator: ", "))")
        }
        return passwords
    }
}
