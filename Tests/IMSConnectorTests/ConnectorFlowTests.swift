import Foundation
import Testing
import WSECore

/// The IMS connector's flows, through real HTTP and real SIP, against both the embedded
/// presence server and a real Kamailio with digest auth on.
@Suite("IMS connector flows", .serialized)
struct ConnectorFlowTests {
    @Test(arguments: SIPBackendKind.allCases)
    func registerPublishWatchAndExchangeMessages(backend: SIPBackendKind) async throws {
        try await ConnectorHarness.with(backend) { harness in

            let aliceRegistered = try await harness.call("alice", "register")
            #expect(aliceRegistered.status == 200, "\(aliceRegistered.body)")
            #expect(aliceRegistered.body["data"]?["registered"] == true)
            #expect(try await harness.call("bob", "register").status == 200)

            let published = try await harness.call("alice", "publish", ["basic": "open", "note": "at my desk"])
            #expect(published.status == 200, "\(published.body)")

            // bob watches alice: the first NOTIFY carries her published state
            let watched = try await harness.call("bob", "subscribe", ["entity": .string(harness.sipURI("alice"))], pid: "watch-1")
            #expect(watched.status == 202, "\(watched.body)")
            let alice = harness.sipURI("alice")
            let first = try await harness.connectorIN.waitFor("open presence of alice") {
                $0["pid"] == "watch-1" && $0["data"]?["basic"] == "open" && $0["data"]?["note"] == "at my desk"
            }
            #expect(first["data"]?["kind"] == "presence")
            #expect(first["data"]?["entity"]?.stringValue == alice)
            #expect(first["final"] == false)

            // alice's change reaches bob's process
            #expect(try await harness.call("alice", "publish", ["basic": "closed", "note": "gone home"]).status == 200)
            _ = try await harness.connectorIN.waitFor("closed presence of alice") {
                $0["pid"] == "watch-1" && $0["data"]?["basic"] == "closed" && $0["data"]?["note"] == "gone home"
            }

            // MESSAGE both ways: unsolicited user pushes
            let sent = try await harness.call("alice", "message", ["to": .string(harness.sipURI("bob")), "text": "hello bob ✓"])
            #expect(sent.status == 200, "\(sent.body)")
            let toBob = try await harness.connectorIN.waitFor("message to bob") { $0["user"] == "bob" && $0["data"]?["kind"] == "message" }
            #expect(toBob["service"] == "sip")
            #expect(toBob["data"]?["from"]?.stringValue == alice)
            #expect(toBob["data"]?["text"] == "hello bob ✓")
            #expect(try await harness.call("bob", "message", ["to": .string(alice), "text": "hi alice"]).status == 200)
            _ = try await harness.connectorIN.waitFor("message to alice") { $0["user"] == "alice" && $0["data"]?["text"] == "hi alice" }
            let keys = await harness.connectorIN.pushes.map(\.authorization)
            #expect(keys.allSatisfy { $0 == "Bearer \(ConnectorHarness.key)" })

            // unsubscribe ends the process with a final push
            let unsubscribed = try await harness.call("bob", "unsubscribe", ["entity": .string(alice)])
            #expect(unsubscribed.status == 200, "\(unsubscribed.body)")
            _ = try await harness.connectorIN.waitFor("final push for watch-1") { $0["pid"] == "watch-1" && $0["final"] == true }

            #expect(try await harness.call("alice", "unregister").status == 200)
            // alice is gone: a MESSAGE to her is refused with 404
            let toNobody = try await harness.call("bob", "message", ["to": .string(alice), "text": "still there?"])
            #expect(toNobody.status == 404, "\(toNobody.body)")
            #expect(toNobody.body["error"]?["code"] == "not_found")
        }
    }

    /// Two watches of one contact: each change reaches connector IN for both in one request, the batch form.
    @Test func theWatchesOfOneContactArePushedInOneRequest() async throws {
        try await ConnectorHarness.with(.embedded) { harness in
            #expect(try await harness.call("alice", "register").status == 200)
            #expect(try await harness.call("bob", "register").status == 200)
            #expect(try await harness.call("alice", "publish", ["basic": "open", "note": "first"]).status == 200)
            let alice = harness.sipURI("alice")
            for pid in ["watch-a", "watch-b"] {
                let watched = try await harness.call("bob", "subscribe", ["entity": .string(alice)], pid: pid)
                #expect(watched.status == 202, "\(watched.body)")
                _ = try await harness.connectorIN.waitFor("the first state for \(pid)") {
                    $0["pid"]?.stringValue == pid && $0["data"]?["note"] == "first"
                }
            }
            #expect(try await harness.call("alice", "publish", ["basic": "closed", "note": "second"]).status == 200)
            let changes = try await harness.connectorIN.waitFor(2, "the change for both watches") { $0["data"]?["note"] == "second" }
            #expect(Set(changes.compactMap { $0["pid"]?.stringValue }) == ["watch-a", "watch-b"])
            #expect(await harness.connectorIN.requestSizes.last == 2, "both pushes went in one request")
        }
    }

    @Test(arguments: SIPBackendKind.allCases)
    func wrongPasswordIsForbiddenWithAClearMessage(backend: SIPBackendKind) async throws {
        try await ConnectorHarness.with(backend) { harness in
            let result = try await harness.call("carol", "register")
            #expect(result.status == 403, "\(result.body)")
            #expect(result.body["error"]?["code"] == "forbidden")
            #expect(result.body["error"]?["message"]?.stringValue?.contains("wrong SIP credentials") == true)
        }
    }

    @Test(arguments: SIPBackendKind.allCases)
    func cancellingAWatchProcessUnsubscribes(backend: SIPBackendKind) async throws {
        try await ConnectorHarness.with(backend) { harness in
            #expect(try await harness.call("alice", "register").status == 200)
            #expect(try await harness.call("bob", "subscribe", ["entity": .string(harness.sipURI("alice"))], pid: "w2").status == 202)
            _ = try await harness.connectorIN.waitFor("first NOTIFY") { $0["pid"] == "w2" }
            #expect(try await harness.cancel(pid: "w2").status == 200)
            #expect(try await harness.cancel(pid: "w2").status == 404)
        }
    }
}
