import Foundation
import Testing
import WSEApp
import WSECore

/// Telecom services through a node: two users' sessions, the IMS connector and the embedded
/// presence server (SIP over UDP with digest auth), and the Enhanced Address Book composition.
@Suite(.serialized) struct TelecomFlowTests {
    @Test func twoUsersSeeEachOthersPresenceAndExchangeMessages() async throws {
        try await withRunningDemo { demo in
            try await withTwoSessions("alice", "bob", at: demo.nodeURL) { alice, bob in
                for (socket, id) in [(alice, "ra"), (bob, "rb")] {
                    try await socket.send(["type": "request", "id": .string(id), "service": "sip", "action": "register"])
                    let registered = try await socket.next()
                    #expect(registered["data"]?["registered"] == true, "\(registered)")
                }
                try await alice.send(["type": "request", "id": "w", "service": "sip", "action": "subscribe", "data": ["entity": "sip:bob@wse.demo"]])
                let watch = try #require(try await alice.next()["pid"]?.stringValue)

                let published = ContinuousClock.now
                try await bob.send([
                    "type": "request", "id": "p", "service": "sip", "action": "publish", "data": ["basic": "open", "note": "at work"],
                ])
                #expect(try await bob.next()["id"] == "p")
                var presence = try await alice.next(within: 5)
                while presence["data"]?["basic"] != "open" { presence = try await alice.next(within: 5) }
                #expect(ContinuousClock.now - published < .seconds(1), "presence reached the watcher within a second")
                #expect(presence["pid"]?.stringValue == watch && presence["data"]?["note"] == "at work")

                try await bob.send([
                    "type": "request", "id": "m", "service": "sip", "action": "message", "data": ["to": "sip:alice@wse.demo", "text": "hi alice"],
                ])
                #expect(try await bob.next()["data"]?["sent"] == true)
                let message = try await alice.next(within: 5)
                #expect(message["type"] == "event" && message["service"] == "sip")
                #expect(message["data"] == ["kind": "message", "from": "sip:bob@wse.demo", "text": "hi alice"])

                try await alice.send(["type": "request", "id": "bad", "service": "sip", "action": "message", "data": ["to": "not a uri"]])
                let refused = try await alice.next()
                #expect(refused["type"] == "error" && refused["id"] == "bad", "a browser action with invalid fields gets an error: \(refused)")
            }
        }
    }

    @Test func theAddressBookMergesContactsPresenceAndLocation() async throws {
        try await withRunningDemo { demo in
            try await withTwoSessions("alice", "carol", at: demo.nodeURL) { alice, carol in
                try await carol.send(["type": "request", "id": "r", "service": "sip", "action": "register"])
                _ = try await carol.next()

                try await alice.send(["type": "request", "id": "e", "service": "eab", "action": "open", "data": ["interval": 1]])
                let opened = try await alice.next()
                let pid = try #require(opened["pid"]?.stringValue)
                try await carol.send([
                    "type": "request", "id": "p", "service": "sip", "action": "publish", "data": ["basic": "open", "note": "lunch"],
                ])
                var cards: [String: [String: JSONValue]] = [:]
                while cards["carol"]?["presence"]?["note"] != "lunch" || cards["bob"]?["location"] == nil {
                    let event = try await alice.next(within: 10)
                    guard event["pid"]?.stringValue == pid, let card = event["data"]?.objectValue, let id = card["id"]?.stringValue else { continue }
                    cards[id, default: [:]].merge(card) { _, new in new }
                }
                #expect(Set(cards.keys) == ["bob", "carol"])
                #expect(cards["carol"]?["presence"]?["basic"] == "open")
                // `since` is carol's PIDF <timestamp>, through the presence server and the IMS connector.
                let since = cards["carol"]?["presence"]?["since"]?.stringValue ?? ""
                #expect((try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(since)) != nil,
                        "carol's presence has no since: \(cards["carol"] ?? [:])")
                #expect(cards["carol"]?["sip"] == "sip:carol@wse.demo")
                #expect(cards["bob"]?["location"]?["latitude"]?.doubleValue != nil)
                try await alice.send(["type": "cancel", "pid": .string(pid)])
                var end = try await alice.next()
                while end["type"] != "end" { end = try await alice.next() }
                #expect(end["reason"] == "cancelled")
            }
        }
    }
}
