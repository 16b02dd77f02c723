import Foundation
import Testing
import Demo
import WSEApp

/// `wse demo --sip-server/--sip-domain/--sip-users`: what is accepted, and the sentence for each refusal.
/// (The demo on a real Kamailio runs in the browser tests, Tests/browser/test_eab_live.py and test_sip_live.py.)
struct DemoSIPCoreTests {
    static let users = ["alice", "bob", "carol"]

    /// Writes `text` to a fresh file and returns its path.
    func usersFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "wse-sip-users-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func refusal(server: String = "udp:127.0.0.1:25060", domain: String? = nil, file: String) -> String? {
        do {
            _ = try DemoSIPCore(server: server, domain: domain, usersFile: file, users: Self.users)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aServerDomainAndUsersFileMakeTheCore() throws {
        let file = try usersFile("# the demo users\nalice:pw:with:colons\n\n  bob:b  \ncarol:c")
        let core = try DemoSIPCore(server: "TCP:127.0.0.1:25060", domain: "example.org", usersFile: file, users: Self.users)
        #expect(core == DemoSIPCore(transport: "tcp", host: "127.0.0.1", port: 25060, domain: "example.org",
                                    passwords: ["alice": "pw:with:colons", "bob": "b", "carol": "c"]))
        #expect(core.server == "tcp:127.0.0.1:25060")
        #expect("\(core)" == "tcp:127.0.0.1:25060 (sip:USER@example.org for alice, bob, carol)", "no password in a log line")
    }

    @Test func theDomainDefaultsToTheServersAddress() throws {
        let file = try usersFile("alice:a\nbob:b\ncarol:c\n")
        #expect(try DemoSIPCore(server: "udp:127.0.0.1:5060", domain: nil, usersFile: file, users: Self.users).domain == "127.0.0.1")
    }

    @Test(arguments: ["udp:localhost:5060", "sctp:127.0.0.1:5060", "udp:127.0.0.1", "udp:127.0.0.1:0", "udp:127.0.0.1:x", "127.0.0.1:5060"])
    func aServerThatIsNotTransportIPPortIsRefused(server: String) throws {
        let file = try usersFile("alice:a\nbob:b\ncarol:c\n")
        #expect(refusal(server: server, file: file)?.hasPrefix("--sip-server must be udp:HOST:PORT or tcp:HOST:PORT") == true)
    }

    @Test func aDomainWithAUserOrPortIsRefused() throws {
        let file = try usersFile("alice:a\nbob:b\ncarol:c\n")
        #expect(refusal(domain: "bob@example.org", file: file)?.hasPrefix("--sip-domain must be the host part") == true)
        #expect(refusal(domain: "", file: file)?.hasPrefix("--sip-domain must be the host part") == true)
    }

    @Test func aBadUsersFileIsRefusedWithItsLine() throws {
        #expect(refusal(file: "/nonexistent/sip-users")?.hasPrefix("cannot read the SIP users file /nonexistent/sip-users") == true)
        let cases = [
            ("alice:a\nbob\ncarol:c", "line 2: expected user:password"),
            ("alice:a\nbob:b\ncarol:c\ndave:d", "line 4: 'dave' is not a demo user (alice, bob, carol)"),
            ("alice:\nbob:b\ncarol:c", "line 1: alice has an empty password"),
            ("alice:a\nalice:b\nbob:b\ncarol:c", "line 2: alice is given twice"),
        ]
        for (text, reason) in cases {
            let file = try usersFile(text)
            #expect(refusal(file: file) == "\(file) \(reason)")
        }
        let file = try usersFile("alice:a\n")
        #expect(refusal(file: file) == "the SIP users file \(file) has no password for bob, carol")
    }
}
