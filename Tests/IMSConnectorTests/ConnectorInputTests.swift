import Foundation
import NIOCore
import SIP
import Testing
import WSETesting
import WSECore

/// Bad input from the browser or the node, and SIP-side failures, become clear errors.
@Suite("IMS connector errors")
struct ConnectorInputTests {
    @Test func badBrowserInputIs400WithAReason() async throws {
        try await ConnectorHarness.with(.embedded) { harness in
            let cases: [(String, JSONValue, String)] = [
                ("publish", [:], "publish needs \"basic\""),
                ("publish", ["basic": "away"], "must be \"open\" or \"closed\""),
                ("publish", ["basic": "open", "note": 3], "\"note\" must be a string"),
                ("subscribe", [:], "subscribe needs \"entity\""),
                ("subscribe", ["entity": "tel:+123"], "must be a sip:user@domain URI"),
                ("message", ["to": "sip:bob@127.0.0.1"], "message needs \"text\""),
                ("message", ["text": "hi"], "message needs \"to\""),
                ("dance", [:], "unknown action"),
                ("register", "not an object", "data must be a JSON object"),
            ]
            for (action, data, reason) in cases {
                let result = try await harness.call("alice", action, data)
                #expect(result.status == 400, "\(action) \(data)")
                #expect(result.body["error"]?["code"] == "bad_request")
                #expect(result.body["error"]?["message"]?.stringValue?.contains(reason) == true, "\(result.body)")
            }
            let garbage = try await harness.post(Data("{not json".utf8))
            #expect(garbage.status == 400)
            #expect(garbage.body["error"]?["code"] == "bad_request")
        }
    }

    @Test func wrongConnectorKeyIs401AndUnknownUserIs403() async throws {
        try await ConnectorHarness.with(.embedded) { harness in
            let wrongKey = try await harness.call("alice", "register", key: "nope")
            #expect(wrongKey.status == 401)
            #expect(wrongKey.body["error"]?["code"] == "unauthorized")
            let unknown = try await harness.call("dave", "register")
            #expect(unknown.status == 403)
            #expect(unknown.body["error"]?["message"]?.stringValue?.contains("no SIP credentials") == true)
        }
    }

    @Test func silentRegistrarIsATimeoutAtTimerF() async throws {
        // A UDP socket that receives and never answers; Timer F (64·T1 = 32 s) on a virtual clock.
        let silent = try await SilentUDPServer.start()
        try await withTestEventLoop { clock in
            try await ConnectorHarness.with(.embedded, serverPort: silent.port, timers: SIPTimers(eventLoops: clock)) { harness in
                async let result = harness.call("alice", "register")
                // The transaction's timers start as its first copy leaves (a datagram to wait for, not a timer).
                try await eventually("the first REGISTER") { silent.datagrams > 0 }
                await clock.advanceTime(by: .seconds(32))
                let answer = try await result
                #expect(answer.status == 504, "\(answer.body)")
                #expect(answer.body["error"]?["code"] == "timeout")
                // T1, then doubling to T2: ten retransmissions before Timer F.
                try await eventually("11 copies of the REGISTER") { silent.datagrams == 11 }
            }
        }
        await silent.stop()
    }

    @Test func registrationIsRefreshedBeforeItExpires() async throws {
        // The connector's agents and the embedded registrar on one virtual clock; alice registers for an
        // hour (3600 s), so her agent refreshes at 2700 s and the registrar would drop her at 3600 s.
        try await withTestEventLoop { clock in
            try await ConnectorHarness.with(.embedded, timers: SIPTimers(eventLoops: clock)) { harness in
                let alice = harness.sipURI("alice")
                #expect(try await harness.call("alice", "register").status == 200)
                #expect(await harness.backend.bindingExpiry(of: alice) == .uptimeNanoseconds(0) + .seconds(3600))
                await clock.advanceTime(to: .uptimeNanoseconds(0) + .seconds(2700))
                // The refresh is a REGISTER over real UDP: wait for the registrar to take it.
                let refreshed = NIODeadline.uptimeNanoseconds(0) + .seconds(2700 + 3600)
                try await eventually("the refresh at 2700 s") { await harness.backend.bindingExpiry(of: alice) == refreshed }
                await clock.advanceTime(to: .uptimeNanoseconds(0) + .seconds(3601))
                let result = try await harness.call("bob", "message", ["to": .string(alice), "text": "still registered?"])
                #expect(result.status == 200, "\(result.body)")
            }
        }
    }
}
