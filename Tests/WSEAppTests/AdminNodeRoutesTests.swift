import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WSECore
@testable import WSEApp

/// `GET /admin/v1/nodes` (PROTOCOL.md 1.1): the node list, a node on its own listing itself, and 503 when the
/// list cannot be read.
@Suite struct AdminNodeRoutesTests {
    private func get(_ routes: AdminNodeRoutes) async throws -> (HTTPResponse.Status, JSONValue?) {
        let router = Router()
        routes.addRoutes(to: router.group("/admin/v1"))
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/admin/v1/nodes", method: .get) { response in
                (response.status, try? JSONValue.parse(String(buffer: response.body)))
            }
        }
    }

    @Test func aNodeOnItsOwnListsItselfAlive() async throws {
        var configuration = NodeConfiguration()
        configuration.node.id = "solo"
        configuration.node.port = 8123
        let list = WSENode.nodeList(configuration, cluster: nil, sessionCount: { 4 })
        let (status, body) = try await get(AdminNodeRoutes(nodes: list))
        #expect(status == .ok)
        #expect(body == ["nodes": [[
            "id": "solo", "url": "http://127.0.0.1:8123", "pid": .number(Double(ProcessInfo.processInfo.processIdentifier)), "sessions": 4,
            "alive": true,
        ]]])
    }

    @Test func anUnreadableListIs503() async throws {
        struct DatabaseAway: Error {}
        let (status, body) = try await get(AdminNodeRoutes(nodes: { throw DatabaseAway() }))
        #expect(status == .serviceUnavailable)
        #expect(body?["error"]?["code"] == "unavailable")
    }
}
