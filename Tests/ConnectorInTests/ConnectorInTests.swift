import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import WSETesting
import WSECore

@testable import ConnectorIn

/// A mediator stand-in for connector IN: keys, running processes and users with sessions.
actor FakeInbound: ConnectorInbound {
    let keys: [String: ConnectorIdentity] = ["loc-key": ConnectorIdentity(services: ["location"]), "ims-key": ConnectorIdentity(services: ["sip"])]
    /// pid → the service it belongs to.
    let processes: [ProcessID: ServiceID] = ["p-loc": "location"]
    let sessionsOfUser: [UserName: Int] = ["alice": 2]
    var received: [String] = []

    func connector(forKey key: String) async -> ConnectorIdentity? { keys[key] }

    func accessRule(of service: ServiceID) async -> AccessRule? { AccessRule() }

    func processData(pid: ProcessID, data: JSONValue, final: Bool, from connector: ConnectorIdentity) async -> InboundOutcome {
        guard let service = processes[pid] else { return .notFound("no running process \"\(pid)\"") }
        guard connector.services.contains(service) else { return .forbidden("not your process") }
        received.append("\(pid) \(data.jsonText) final=\(final)")
        return .delivered(1)
    }

    func userPush(user: UserName, service: ServiceID, data: JSONValue, from connector: ConnectorIdentity) async -> InboundOutcome {
        guard connector.services.contains(service) else { return .forbidden("not your service") }
        guard let count = sessionsOfUser[user] else { return .notFound("user \"\(user)\" has no session") }
        received.append("\(user) \(service) \(data.jsonText)")
        return .delivered(count)
    }
}

@Suite("Connector IN")
struct ConnectorInTests {
    let inbound = FakeInbound()
    let clock = ManualClock()

    func withApp(
        maxBodyBytes: Int = 1024, rate: PushRate? = nil, metrics: CountingMetricsFactory = .init(),
        _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let clock = self.clock
        let controller = ConnectorInController(
            inbound: inbound, configuration: ConnectorInConfiguration(maxBodyBytes: maxBodyBytes, rate: rate, metricsFactory: metrics),
            now: { clock.now })
        let router = Router()
        controller.addRoutes(to: router)
        try await Application(router: router).test(.router, test)
    }

    /// Posts `body` with `key` and returns the status, the body text and the Retry-After header.
    func post(_ client: any TestClientProtocol, _ body: String, key: String? = "loc-key") async throws -> (HTTPResponse.Status, String, String?) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: "/connector/in/v1/events", method: .post, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, String(buffer: $0.body), $0.headers[.retryAfter])
        }
    }

    func expectStatus(
        _ expected: HTTPResponse.Status, _ response: (HTTPResponse.Status, String, String?), sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.0 == expected, "body: \(response.1)", sourceLocation: sourceLocation)
    }

    @Test("answers are counted by status on handles made once, from the configured factory")
    func metrics() async throws {
        let metrics = CountingMetricsFactory()
        try await withApp(metrics: metrics) { client in
            let madeAtStart = metrics.handlesMade
            try await expectStatus(.accepted, post(client, #"{"pid":"p-loc","data":1}"#))
            try await expectStatus(.accepted, post(client, #"{"pid":"p-loc","data":2}"#))
            try await expectStatus(.unauthorized, post(client, #"{"pid":"p-loc","data":3}"#, key: "wrong"))
            try await expectStatus(.badRequest, post(client, "not json"))
            #expect(metrics.handlesMade == madeAtStart, "no handle is made per request")
        }
        func answered(_ status: String) throws -> Int64 {
            try metrics.recorded.expectCounter("wse_connector_in_requests_total", [("status", status)]).totalValue
        }
        #expect(try answered("202") == 2)
        #expect(try answered("401") == 1)
        #expect(try answered("400") == 1)
        #expect(try answered("404") == 0)
    }

    @Test("process data is delivered: 202 with the count")
    func processData() async throws {
        try await withApp { client in
            let (status, body, _) = try await post(client, #"{"pid":"p-loc","data":{"lat":1},"final":true}"#)
            #expect(status == .accepted)
            #expect(body == #"{"delivered":1}"#)
        }
        #expect(await inbound.received == [#"p-loc {"lat":1} final=true"#])
    }

    @Test("final defaults to false; a final push may omit data")
    func finalDefaults() async throws {
        try await withApp { client in
            try await expectStatus(.accepted, post(client, #"{"pid":"p-loc","data":5}"#))
            try await expectStatus(.accepted, post(client, #"{"pid":"p-loc","final":true}"#))
        }
        #expect(await inbound.received == ["p-loc 5 final=false", "p-loc null final=true"])
    }

    @Test("a user push reaches every session of the user")
    func userPush() async throws {
        try await withApp { client in
            let (status, body, _) = try await post(client, #"{"user":"alice","service":"sip","data":{"kind":"message"}}"#, key: "ims-key")
            #expect(status == .accepted)
            #expect(body == #"{"delivered":2}"#)
        }
    }

    @Test("missing, malformed or unknown keys are 401", arguments: [nil, "nope"])
    func wrongKey(key: String?) async throws {
        try await withApp { client in
            let (status, body, _) = try await post(client, #"{"pid":"p-loc","data":1}"#, key: key)
            #expect(status == .unauthorized)
            #expect(body.contains(#""code":"unauthorized""#))
        }
        #expect(await inbound.received.isEmpty)
    }

    @Test("a key of another connector is 403")
    func otherConnector() async throws {
        try await withApp { client in
            try await expectStatus(.forbidden, post(client, #"{"pid":"p-loc","data":1}"#, key: "ims-key"))
            try await expectStatus(.forbidden, post(client, #"{"user":"alice","service":"location","data":1}"#, key: "ims-key"))
        }
    }

    @Test("unknown pid or user without session is 404")
    func notFound() async throws {
        try await withApp { client in
            let (status, body, _) = try await post(client, #"{"pid":"p-gone","data":1}"#)
            #expect(status == .notFound)
            #expect(body == #"{"error":{"code":"not_found","message":"no running process \"p-gone\""}}"#)
            try await expectStatus(.notFound, post(client, #"{"user":"zed","service":"sip","data":1}"#, key: "ims-key"))
        }
    }

    @Test("an oversized body is 413")
    func tooLarge() async throws {
        try await withApp(maxBodyBytes: 64) { client in
            let big = #"{"pid":"p-loc","data":""# + String(repeating: "x", count: 100) + #""}"#
            let (status, body, _) = try await post(client, big)
            #expect(status == .contentTooLarge)
            #expect(body.contains(#""code":"too_large""#))
        }
        #expect(await inbound.received.isEmpty)
    }

    @Test("malformed JSON and wrong shapes are 400 with the reason", arguments: [
        ("{not json", "malformed JSON"),
        ("7", "must be a JSON object"),
        (#"{"data":1}"#, #"{\"pid\",\"data\",\"final\"} or {\"user\",\"service\",\"data\"}"#),
        (#"{"pid":"p-loc","user":"alice","data":1}"#, "not both"),
        (#"{"pid":7,"data":1}"#, #"\"pid\" must be a non-empty string"#),
        (#"{"pid":"p-loc","data":1,"final":"yes"}"#, #"\"final\" must be true or false"#),
        (#"{"pid":"p-loc"}"#, #"needs \"data\""#),
        (#"{"user":"alice","data":1}"#, #"non-empty \"service\""#),
        (#"{"user":"alice","service":"sip"}"#, #"a user push needs \"data\""#),
    ])
    func badRequests(body: String, reason: String) async throws {
        try await withApp { client in
            let (status, text, _) = try await post(client, body)
            #expect(status == .badRequest)
            #expect(text.contains(#""code":"bad_request""#))
            #expect(text.contains(reason), "\(text)")
        }
    }

    @Test("a connector over its rate gets 429 with Retry-After; others are not affected; tokens come back")
    func throttling() async throws {
        let clock = self.clock
        try await withApp(rate: PushRate(perSecond: 1, burst: 2)) { client in
            let push = #"{"pid":"p-loc","data":1}"#
            try await expectStatus(.accepted, post(client, push))
            try await expectStatus(.accepted, post(client, push))
            let (status, body, retryAfter) = try await post(client, push)
            #expect(status == .tooManyRequests)
            #expect(retryAfter == "1")
            #expect(body.contains(#""code":"throttled""#))
            try await expectStatus(.accepted, post(client, #"{"user":"alice","service":"sip","data":1}"#, key: "ims-key"))
            clock.advance(by: .seconds(1))
            try await expectStatus(.accepted, post(client, push))
            try await expectStatus(.tooManyRequests, post(client, push))
        }
    }

    @Test("a wrong key is refused before it can use up a connector's tokens")
    func wrongKeyTakesNoToken() async throws {
        try await withApp(rate: PushRate(perSecond: 1, burst: 1)) { client in
            try await expectStatus(.unauthorized, post(client, #"{"pid":"p-loc","data":1}"#, key: "nope"))
            try await expectStatus(.accepted, post(client, #"{"pid":"p-loc","data":1}"#))
        }
    }
}
