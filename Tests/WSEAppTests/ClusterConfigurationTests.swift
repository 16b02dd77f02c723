import Foundation
import Testing
import WSEApp
import WSECore

/// The cluster's keys in the node's configuration (docs/CLUSTER.md): `node.id` and `sessions.store`.
@Suite struct ClusterConfigurationTests {
    static func load(_ yaml: String) throws -> NodeConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wse-cluster-\(RandomID.make(length: 6)).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try NodeRunner.loadConfiguration(file: file.path)
    }

    @Test func theNodeIdAndTheSharedStoreAreRead() throws {
        let configuration = try Self.load("node:\n  id: wse-1.eu_west\n  database: postgres://wse@db/wse\nsessions:\n  store: shared\n")
        #expect(configuration.node.id == "wse-1.eu_west")
        #expect(configuration.sessions.store == .shared)
        #expect(try Self.load("node:\n  port: 8080\n").sessions.store == .memory, "memory is the default")
    }

    @Test func aNodeIdThatCannotNameAChannelIsRefusedWithItsLine() {
        #expect {
            try Self.load("node:\n  port: 8080\n  id: \"node one\"\n")
        } throws: { error in
            "\(error)".contains(":3:") && "\(error)".contains("node id")
        }
    }

    @Test func theSharedStoreNeedsPostgreSQL() {
        #expect {
            try Self.load("node:\n  database: wse.sqlite\nsessions:\n  store: shared\n")
        } throws: { error in
            "\(error)".contains("sessions.store: shared") && "\(error)".contains("postgres://")
        }
    }
}
