import Foundation
import Testing
@testable import IMSConnector

/// `wse connector sip --config FILE`: the file is read as YAML or JSON, and a mistake is named with
/// its file, line and column.
@Suite struct IMSConnectorConfigurationTests {
    func write(_ text: String, suffix: String) throws -> String {
        let path = NSTemporaryDirectory() + "wse-ims-\(UUID().uuidString).\(suffix)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yamlAndJSONFilesLoad() throws {
        let yaml = try write("""
            listen: { host: 127.0.0.1, port: 18090 }
            key: k
            sip:
              server: { transport: udp, host: 127.0.0.1, port: 25060 }
              domain: wse.demo
            users:
              alice: { username: alice, password: secret }
            """, suffix: "yaml")
        defer { try? FileManager.default.removeItem(atPath: yaml) }
        let fromYAML = try IMSConnectorConfiguration.load(path: yaml)
        #expect(fromYAML.sip.server.port == 25060 && fromYAML.users["alice"]?.password == "secret")

        let json = try write(#"{"listen":{"host":"127.0.0.1","port":1},"key":"k","sip":{"server":{"transport":"tcp","host":"127.0.0.1","port":5060},"domain":"d"},"users":{}}"#, suffix: "json")
        defer { try? FileManager.default.removeItem(atPath: json) }
        #expect(try IMSConnectorConfiguration.load(path: json).sip.server.transport == "tcp")
    }

    @Test func aWrongValueIsNamedWithItsLine() throws {
        let path = try write("""
            listen: { host: 127.0.0.1, port: 18090 }
            key: k
            sip:
              server: { transport: udp, host: 127.0.0.1, port: lots }
              domain: wse.demo
            users: {}
            """, suffix: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try IMSConnectorConfiguration.load(path: path)
        } throws: { error in
            "\(error)".hasPrefix("\(path):4:") && "\(error)".contains("port")
        }
    }

    @Test func aMissingFileSaysSo() {
        #expect {
            try IMSConnectorConfiguration.load(path: "/nonexistent/ims.yaml")
        } throws: { error in
            "\(error)".contains("/nonexistent/ims.yaml") && "\(error)".contains("cannot read")
        }
    }

    /// `tls` and `caFile` are read from the file; a key or CA file that cannot be used stops the connector's start
    /// with what is wrong.
    @Test func tlsAndCAFileAreReadAndCheckedAtStart() throws {
        let path = try write("""
            listen: { host: 127.0.0.1, port: 0 }
            key: k
            sip:
              server: { transport: udp, host: 127.0.0.1, port: 25060 }
              domain: wse.demo
            users: {}
            tls: { certificate: /nonexistent/cert.pem, key: /nonexistent/key.pem }
            caFile: /nonexistent/ca.pem
            """, suffix: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = try IMSConnectorConfiguration.load(path: path)
        #expect(configuration.tls?.certificate == "/nonexistent/cert.pem" && configuration.tls?.key == "/nonexistent/key.pem")
        #expect(configuration.caFile == "/nonexistent/ca.pem")
        #expect { try IMSConnector(configuration) } throws: { "\($0)".contains("tls: the certificate /nonexistent/cert.pem") }
        configuration.tls = nil
        #expect { try IMSConnector(configuration) } throws: { "\($0)".contains("caFile: /nonexistent/ca.pem") }
    }
}
