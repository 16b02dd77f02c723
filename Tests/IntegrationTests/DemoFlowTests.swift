import Foundation
import Testing
import Demo
import WSEApp
import WSECore

/// The demo deployment end to end over real HTTP and WebSocket on loopback: identity proxy,
/// connection manager, mediator, connector OUT/IN, the REST connector and the demo services.
@Suite(.serialized) struct DemoFlowTests {
    @Test func aSessionCallsContactsAndLocationAndReceivesNotificationsUntilCancel() async throws {
        try await withRunningDemo { demo in
            let token = try await login("alice", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                let welcome = try await socket.next()
                #expect(welcome["type"] == "welcome" && welcome["resumed"] == false)

                try await socket.send(["type": "request", "id": "c", "service": "contacts", "action": "list"])
                let contacts = try await socket.next()
                #expect(contacts["type"] == "response" && contacts["id"] == "c")
                let names = contacts["data"]?["contacts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                #expect(names.count == 2 && !names.contains { $0.lowercased().contains("alice") })

                try await socket.send([
                    "type": "request", "id": "g", "service": "location", "action": "get", "data": ["address": "tel:+15550100002"],
                ])
                let position = try await socket.next()
                #expect(position["id"] == "g" && position["data"]?["latitude"]?.doubleValue != nil)

                try await socket.send([
                    "type": "request", "id": "s", "service": "location", "action": "subscribe",
                    "data": ["address": "tel:+15550100002", "interval": 1],
                ])
                let accepted = try await socket.next()
                let pid = try #require(accepted["pid"]?.stringValue)
                #expect(accepted["type"] == "response")
                for expected in 1...2 {
                    let event = try await socket.next(within: 5)
                    #expect(event["type"] == "event" && event["pid"]?.stringValue == pid && event["seq"]?.intValue == expected)
                    #expect(event["data"]?["longitude"]?.doubleValue != nil)
                }
                try await socket.send(["type": "cancel", "pid": .string(pid)])
                var end = try await socket.next()
                while end["type"] == "event" { end = try await socket.next() }  // an event may cross the cancel
                #expect(end == ["type": "end", "pid": .string(pid), "reason": "cancelled"])
            }
        }
    }

    @Test func badRequestsGetDocumentedErrorsAndTheSessionStaysUsable() async throws {
        try await withRunningDemo { demo in
            let token = try await login("bob", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                _ = try await socket.next()
                try await socket.send(socketText: "{not json")
                #expect(try await socket.next()["code"] == "bad_request")
                try await socket.send(["type": "request", "service": "contacts", "action": "list"])
                #expect(try await socket.next()["code"] == "bad_request")
                try await socket.send(["type": "request", "id": "u", "service": "weather", "action": "get"])
                let unknown = try await socket.next()
                #expect(unknown["code"] == "unknown_service" && unknown["id"] == "u")
                try await socket.send(["type": "request", "id": "m", "service": "location", "action": "get", "data": [:]])
                let missing = try await socket.next()
                #expect(missing["type"] == "error" && missing["id"] == "m", "a missing address reaches the client as an error: \(missing)")
                try await socket.send(["type": "request", "id": "ok", "service": "contacts", "action": "list"])
                #expect(try await socket.next()["type"] == "response")
            }
        }
    }

    @Test func aWrongTokenIsRefusedWith4401() async throws {
        try await withRunningDemo { demo in
            let badToken = try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": "not-a-jwt"])
                _ = await socket.mailbox.next(within: 5)
            }
            #expect(badToken?.closeCode == .init(codeNumber: 4401))
            let (status, _) = try await httpCall("POST", "\(demo.nodeURL)/idp/token", body: #"{"username":"carol","password":"nope"}"#)
            #expect(status == 401)
        }
    }

    @Test func aDroppedSessionResumesWithoutLossOrDuplicates() async throws {
        try await withRunningDemo { demo in
            let token = try await login("alice", at: demo.nodeURL)
            let first = ResumeState()
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                let session = try #require(try await socket.next()["session"]?.stringValue)
                try await socket.send([
                    "type": "request", "id": "s", "service": "location", "action": "subscribe",
                    "data": ["address": "tel:+15550100003", "interval": 1],
                ])
                _ = try await socket.next()
                let event = try await socket.next(within: 5)
                await first.record(session: session, seq: try #require(event["seq"]?.intValue))
                try await socket.close(4000)  // not 1000: the session waits for its client
                while await socket.mailbox.next(within: 5) != nil {}
            }
            let (session, lastSeq) = await first.values
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send([
                    "type": "hello", "token": .string(token), "resume": ["session": .string(session), "lastSeq": .number(Double(lastSeq))],
                ])
                let welcome = try await socket.next()
                #expect(welcome["resumed"] == true && welcome["session"]?.stringValue == session)
                var expected = lastSeq + 1
                for _ in 0..<3 {
                    let event = try await socket.next(within: 5)
                    #expect(event["seq"]?.intValue == expected, "events continue right after lastSeq: \(event)")
                    expected += 1
                }
            }
        }
    }
}

actor ResumeState {
    var values: (String, Int) = ("", 0)
    func record(session: String, seq: Int) { values = (session, seq) }
}

extension TestSocket {
    func send(socketText text: String) async throws { try await send(text) }
}
