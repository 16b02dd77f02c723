import Foundation
import Testing
import WSEApp
import WSECore

/// Personal data through a node (issue 10, Beyond 2): presence follows the presentity's rules, set through the
/// `sip` service; location goes only to users the terminal's owner allowed.
@Suite(.serialized) struct OperatorDataTests {
    /// dave, a fourth subscriber nobody listed, gets `forbidden` for alice's location; bob, her contact, gets it.
    @Test func aStrangerGetsForbiddenForLocationWhileAContactGetsIt() async throws {
        try await withRunningDemo { demo in
            try await demo.node.store.save(Subscriber(username: "dave", passwordHash: try await demoPasswordHash.value, roles: ["subscriber"]))
            try await withTwoSessions("dave", "bob", at: demo.nodeURL) { dave, bob in
                let alicesPhone: JSONValue = ["address": "tel:+15550100001"]
                for action in ["get", "subscribe"] {
                    var data = alicesPhone
                    if action == "subscribe" { data = ["address": "tel:+15550100001", "interval": 1] }
                    try await dave.send(["type": "request", "id": .string(action), "service": "location", "action": .string(action), "data": data])
                    let refused = try await dave.next()
                    #expect(refused["type"] == "error" && refused["code"] == "forbidden", "\(action): \(refused)")
                }
                try await bob.send(["type": "request", "id": "g", "service": "location", "action": "get", "data": alicesPhone])
                let located = try await bob.next()
                #expect(located["type"] == "response" && located["data"]?["latitude"] != nil, "\(located)")
            }
        }
    }

    /// alice blocks bob (his subscribe is `forbidden`), lists her rules, then asks to confirm: bob's new watch is
    /// `pending` with no presence until alice allows him, and then he sees her.
    @Test func presenceFollowsThePresentitysRulesSetThroughTheSipService() async throws {
        try await withRunningDemo { demo in
            try await withTwoSessions("alice", "bob", at: demo.nodeURL) { alice, bob in
                func call(_ socket: TestSocket, _ id: String, _ action: String, _ data: JSONValue = [:]) async throws -> JSONValue {
                    try await socket.send(["type": "request", "id": .string(id), "service": "sip", "action": .string(action), "data": data])
                    return try await socket.next()
                }
                #expect(try await call(alice, "p", "publish", ["basic": "open", "note": "in"])["data"]?["published"] == true)

                let blocked = try await call(alice, "a1", "authorize", ["watcher": "sip:bob@wse.demo", "rule": "block"])
                #expect(blocked["data"] == ["watcher": "sip:bob@wse.demo", "rule": "block"])
                let refused = try await call(bob, "s1", "subscribe", ["entity": "sip:alice@wse.demo"])
                #expect(refused["type"] == "error" && refused["code"] == "forbidden", "\(refused)")

                _ = try await call(alice, "a2", "authorize", ["watcher": "sip:bob@wse.demo", "rule": "confirm"])
                let rules = try await call(alice, "r", "rules")
                #expect(rules["data"]?["rules"] == ["sip:bob@wse.demo": "confirm", "sip:carol@wse.demo": "allow"])
                let watch = try await call(bob, "s2", "subscribe", ["entity": "sip:alice@wse.demo"])
                #expect(watch["type"] == "response", "\(watch)")
                let pending = try await bob.next(within: 5)
                #expect(pending["data"]?["state"] == "pending" && pending["data"]?["basic"] == "closed", "\(pending)")

                _ = try await call(alice, "a3", "authorize", ["watcher": "sip:bob@wse.demo", "rule": "allow"])
                let allowed = try await bob.next(within: 5)
                #expect(allowed["data"]?["basic"] == "open" && allowed["data"]?["note"] == "in" && allowed["data"]?["state"] == nil, "\(allowed)")
            }
        }
    }
}
