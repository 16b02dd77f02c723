import Demo
import Foundation
import Synchronization
import Testing
import WSEApp
import WSECore
import WSETesting

/// A retailer put on board through one node is in force on every node (the store's change feed), and its
/// sessions act for it only with a token that carries its client id (`azp`), never by `Origin` alone.
@Suite(.serialized, .postgresServer) struct ClusterRetailerTests {
    @Test func aRetailerRegisteredOnOneNodeIsInForceOnTheOtherAndBoundToTheToken() async throws {
        let server = try PostgresTestServer.require()
        var configuration = NodeConfiguration()
        configuration.node.port = 0
        configuration.node.database = server.url(of: try await server.makeDatabase())
        configuration.sessions.retailers = []  // only the retailers on board
        let shared = configuration
        try await NodeOnPostgresTests.withRunningNode(shared) { nodeA, a in
            try await nodeA.store.save(Subscriber(username: "alice", passwordHash: try await demoPasswordHash.value, roles: ["subscriber"]))
            try await NodeOnPostgresTests.withRunningNode(shared) { nodeB, b in
                let token = try await login("alice", at: a)
                #expect(try await Self.isRefused(at: b, token: token), "no retailer admits the test client's origin yet")

                let admin = ["authorization": "Bearer \(nodeA.adminToken)"]
                let (created, shop) = try await httpCall(
                    "PUT", "\(a)/admin/v1/retailers/shop", body: #"{"name":"Shop","origins":["\#(testClientOrigin)"]}"#, headers: admin)
                #expect(created == 201, "\(shop)")
                let clientID = try #require(try JSONValue.parse(shop)["clientId"]?.stringValue)
                try await eventually("node B admits the new retailer's origin", within: .seconds(5)) {
                    try await !Self.isRefused(at: b, token: token)
                }

                // A service only the shop's pages may use (its connector is down: admitted calls answer `unavailable`).
                let only = #"{"id":"shop-only","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef","timeout":1,"access":{"retailers":["shop"]}}"#
                #expect(try await httpCall("PUT", "\(a)/admin/v1/services/shop-only", body: only, headers: admin).0 == 201)
                try await eventually("node B knows the service", within: .seconds(5)) { await nodeB.registry.get("shop-only") != nil }

                #expect(try await Self.answer(at: b, token: token) == "forbidden", "the Origin alone does not make a session the shop's")
                let body = #"{"username":"alice","password":"\#(DemoDeployment.password)","client_id":"\#(clientID)"}"#
                let (status, answer) = try await httpCall("POST", "\(a)/idp/token", body: body, headers: ["origin": testClientOrigin])
                #expect(status == 200, "\(answer)")
                let bound = try #require(try JSONValue.parse(answer)["access_token"]?.stringValue)
                #expect(try await Self.answer(at: b, token: bound) == "unavailable", "a token with the shop's azp passes the access rule")
            }
        }
    }

    /// Whether `/wse` at `url` closes a connection with 4403 (origin not allowed) rather than welcoming `token`.
    static func isRefused(at url: String, token: String) async throws -> Bool {
        let frame = try await withSocket(url) { socket in
            try? await socket.send(["type": "hello", "token": .string(token)])
            _ = await socket.mailbox.next(within: 5)
        }
        return frame?.closeCode == .init(codeNumber: 4403)
    }

    /// The error code (or message type) answering a call of `shop-only` in a session opened with `token`.
    static func answer(at url: String, token: String) async throws -> String? {
        let answer = Mutex<String?>(nil)
        _ = try await withSocket(url) { socket in
            try await socket.send(["type": "hello", "token": .string(token)])
            #expect(try await socket.next()["type"] == "welcome")
            try await socket.send(["type": "request", "id": "1", "service": "shop-only", "action": "go"])
            let reply = try await socket.next()
            answer.withLock { $0 = reply["code"]?.stringValue ?? reply["type"]?.stringValue }
        }
        return answer.withLock { $0 }
    }
}
