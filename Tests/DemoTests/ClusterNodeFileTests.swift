import Foundation
import Testing
import WSEApp
@testable import Demo

/// The node file `wse demo --cluster` writes carries the demo's session options to its nodes.
@Suite struct ClusterNodeFileTests {
    @Test func theNodesGetTheSessionStoreAndTheSessionsPerUserBound() throws {
        let file = ClusterNodeFile(
            node: .init(id: "node1", port: 18000, publicURL: "http://127.0.0.1:8080", database: "postgres://wse@127.0.0.1/wse"),
            sessions: .init(store: "memory", maxPerUser: 0, retailers: []),
            admin: .init(token: "adm_test"), services: [])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path)

        let configuration = try JSONDecoder().decode(NodeConfiguration.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))

        #expect(configuration.sessions.store == .memory)
        #expect(configuration.sessions.maxPerUser == 0)
    }
}
