import Foundation
import Hummingbird
import RESTConnector
import Testing
import WSETesting
import WSECore

@Suite("REST connector: every bad input gets a clear error")
struct ConnectorBadInputTests {
    static func errorCode(_ result: HTTPResult) -> String? { result.json?["error"]?["code"]?.stringValue }
    static func errorMessage(_ result: HTTPResult) -> String { result.json?["error"]?["message"]?.stringValue ?? "" }

    @Test("a missing or wrong key is 401")
    func wrongKey() async throws {
        try await DemoStack.run { stack in
            let wrong = try await stack.call("contacts", "list", key: "not-the-key")
            #expect(wrong.status == 401)
            #expect(Self.errorCode(wrong) == "unauthorized")
            let none = try await http(.POST, stack.connectorURL + "/v1/requests", json: ["pid": "p"])
            #expect(none.status == 401)
            let cancel = try await http(.DELETE, stack.connectorURL + "/v1/requests/p", headers: [("Authorization", "Bearer nope")])
            #expect(cancel.status == 401)
        }
    }

    @Test("malformed bodies are 400 with the reason")
    func malformed() async throws {
        try await DemoStack.run { stack in
            let auth = [("Authorization", "Bearer \(DemoStack.key)")]
            let url = stack.connectorURL + "/v1/requests"
            let notJSON = try await http(.POST, url, text: "{\"pid\": ", headers: auth)
            #expect(notJSON.status == 400)
            #expect(Self.errorMessage(notJSON).contains("malformed JSON"))
            let array = try await http(.POST, url, json: [1, 2], headers: auth)
            #expect(array.status == 400)
            let noPid = try await http(.POST, url, json: ["service": "contacts", "action": "list", "user": "alice"], headers: auth)
            #expect(noPid.status == 400)
            #expect(Self.errorMessage(noPid) == "missing field pid")
            let badData = try await http(.POST, url, json: ["pid": "p", "service": "contacts", "action": "list", "user": "alice", "data": "x"], headers: auth)
            #expect(Self.errorMessage(badData) == "field data must be a JSON object")
            let badPid = try await http(.POST, url, json: ["pid": "a/b", "service": "contacts", "action": "list", "user": "alice"], headers: auth)
            #expect(badPid.status == 400)
            #expect(Self.errorMessage(badPid).contains("pid"))
            let huge = try await http(.POST, url, text: "[" + String(repeating: "1,", count: 600_000) + "1]", headers: auth)
            #expect(huge.status == 413)
        }
    }

    @Test("an unknown service or action is 404 unknown_action, listing what is known")
    func unknownAction() async throws {
        try await DemoStack.run { stack in
            for (service, action) in [("contacts", "delete"), ("weather", "get")] {
                let result = try await stack.call(service, action)
                #expect(result.status == 404)
                #expect(Self.errorCode(result) == "unknown_action")
                #expect(Self.errorMessage(result).contains("contacts.list, location.get, location.move, location.release, location.subscribe"))
            }
        }
    }

    @Test("missing data fields are 400 naming the field")
    func missingFields() async throws {
        try await DemoStack.run { stack in
            let get = try await stack.call("location", "get", data: [:])
            #expect(get.status == 400)
            #expect(Self.errorMessage(get) == "missing field data.address")
            let subscribe = try await stack.call("location", "subscribe", data: ["address": "tel:+15550100001"])
            #expect(subscribe.status == 400)
            #expect(Self.errorMessage(subscribe) == "missing field data.interval")
            #expect(await stack.connector.activeSubscriptions().isEmpty)
        }
    }

    @Test("a subscription without a usable callback is 400")
    func missingCallback() async throws {
        try await DemoStack.run { stack in
            let body: JSONValue = ["pid": "p-cb", "service": "location", "action": "subscribe", "user": "alice", "data": ["address": "tel:+15550100001", "interval": 1]]
            let result = try await http(.POST, stack.connectorURL + "/v1/requests", json: body, headers: [("Authorization", "Bearer \(DemoStack.key)")])
            #expect(result.status == 400)
            #expect(Self.errorMessage(result).contains("callback"))
        }
    }

    @Test("an upstream error is passed on with its status and message; a refused subscription leaves nothing behind")
    func upstreamRejects() async throws {
        try await DemoStack.run { stack in
            let result = try await stack.call("location", "subscribe", data: ["address": "tel:+15550100001", "interval": -1])
            #expect(result.status == 400)
            #expect(Self.errorCode(result) == "upstream_rejected")
            #expect(Self.errorMessage(result).contains("frequency"))
            #expect(await stack.connector.activeSubscriptions().isEmpty)
        }
    }

    @Test("an upstream that is down is 502 upstream_unreachable")
    func upstreamDown() async throws {
        // Port 1 on loopback: nothing listens there (and nothing unprivileged can).
        try await DemoStack.run(configure: { $0.services["contacts"]?.baseURL = "http://127.0.0.1:1" }) { stack in
            let result = try await stack.call("contacts", "list")
            #expect(result.status == 502)
            #expect(Self.errorCode(result) == "upstream_unreachable")
            #expect(Self.errorMessage(result).contains("contacts service"))
        }
    }

    @Test("a slow upstream is 504 upstream_timeout at the service's timeout; one that answers garbage is 502 bad_upstream_reply", .timeLimit(.minutes(1)))
    func upstreamSlowOrGarbage() async throws {
        // The slow route answers only once the test lets it, so a 504 can only come from the connector's timeout.
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let (arrivals, arrival) = AsyncStream.makeStream(of: Void.self)
        let router = Router()
        router.get("/slow/**") { _, _ -> String in
            arrival.yield()
            for await _ in release { break }
            return "{}"
        }
        router.get("/garbage/**") { _, _ in "<html>not json</html>" }
        router.get("/shape/**") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"items":[]}"#)))
        }
        let signal = PortSignal()
        let onRunning = signal.onRunning
        let upstream = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await onRunning($0.localAddress?.port ?? 0) })
        try await serve(upstream, signal) { port in
            defer { releaseContinuation.finish() }  // lets the upstream stop, whatever happens
            let clock = ManualClock()
            try await DemoStack.run(configure: {
                $0.services["contacts"]?.baseURL = "http://127.0.0.1:\(port)/slow"
                $0.services["contacts"]?.timeout = 10
                $0.clock = clock
            }) { stack in
                async let result = stack.call("contacts", "list")
                var arrived = arrivals.makeAsyncIterator()
                _ = await arrived.next()
                try await clock.sleepers(reach: 1)
                clock.advance(by: .seconds(10) - .milliseconds(1))
                #expect(clock.sleeperCount == 1, "the timeout has not passed yet")
                clock.advance(by: .milliseconds(1))
                let answer = try await result
                #expect(answer.status == 504)
                #expect(Self.errorCode(answer) == "upstream_timeout", "\(answer.text)")
            }
            for prefix in ["garbage", "shape"] {
                try await DemoStack.run(configure: { $0.services["contacts"]?.baseURL = "http://127.0.0.1:\(port)/\(prefix)" }) { stack in
                    let result = try await stack.call("contacts", "list")
                    #expect(result.status == 502, "\(prefix)")
                    #expect(Self.errorCode(result) == "bad_upstream_reply", "\(prefix): \(result.text)")
                }
            }
        }
    }
}
