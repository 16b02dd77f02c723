import Foundation
import Testing
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

    @Test func silentRegistrarIsATimeout() async throws {
        // A UDP socket that receives and never answers (Timer F = 64·T1 = 1.28 s here).
        let silent = try await SilentUDPServer.start()
        try await ConnectorHarness.with(.embedded, serverPort: silent.port, t1: .milliseconds(20)) { harness in
            let result = try await harness.call("alice", "register")
            #expect(result.status == 504, "\(result.body)")
            #expect(result.body["error"]?["code"] == "timeout")
            #expect(silent.datagrams > 1, "the REGISTER was retransmitted")
        }
        await silent.stop()
    }

    @Test func registrationIsRefreshedBeforeItExpires() async throws {
        try await ConnectorHarness.with(.embedded, registerExpires: 2) { harness in
            #expect(try await harness.call("alice", "register").status == 200)
            // Without refreshes the 2 s binding would be gone after 3.5 s; bob can still reach alice.
            try await Task.sleep(for: .milliseconds(3500))
            let result = try await harness.call("bob", "message", ["to": .string(harness.sipURI("alice")), "text": "still registered?"])
            #expect(result.status == 200, "\(result.body)")
        }
    }
}
