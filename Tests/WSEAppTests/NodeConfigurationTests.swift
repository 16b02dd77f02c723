import Foundation
import IdentityProxy
import Testing
import WSEApp
import WSECore

/// The node's configuration file: what it reads, and errors that name the file and line.
@Suite struct NodeConfigurationTests {
    @Test func aConfigurationWithErrorsNamesTheLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wse-bad-\(RandomID.make(length: 6)).yaml")
        try "node:\n  port: 8080\nsessions:\n  heartbeat: often\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            try NodeRunner.loadConfiguration(file: file.path)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(file.path):4:") && text.contains("sessions.heartbeat")
        }
    }

    @Test func trustedProxiesAreReadAndAnEntryThatIsNoAddressNamesItsLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wse-proxies-\(RandomID.make(length: 6)).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "identity:\n  trustedProxies: [10.0.0.0/8, \"2001:db8::7\"]\n".write(to: file, atomically: true, encoding: .utf8)
        let proxies = try NodeRunner.loadConfiguration(file: file.path).identity.trustedProxies
        #expect(proxies.contains(IPAddress("10.20.30.40")!) && proxies.contains(IPAddress("2001:db8::7")!))
        #expect(!proxies.contains(IPAddress("192.0.2.1")!))

        try "node:\n  port: 8080\nidentity:\n  trustedProxies: [10.0.0.0/8, lb.example.net]\n".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try NodeRunner.loadConfiguration(file: file.path)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(file.path):4:") && text.contains("lb.example.net")
        }
    }
}
