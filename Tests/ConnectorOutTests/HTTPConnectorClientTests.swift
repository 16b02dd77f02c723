import AsyncHTTPClient
import Testing
import WSECore
import WSETesting

@testable import ConnectorOut

@Suite("Connector OUT against a live connector on loopback")
struct HTTPConnectorClientTests {
    static let call = ConnectorCall(
        pid: "p123", service: "location", action: "get", user: "alice", data: ["address": "tel:+1"],
        callback: "http://127.0.0.1:18080/connector/in/v1/events")

    /// Runs `body` with a client and a live fake connector; the HTTP client is shut down afterwards.
    func withClient(
        maxReplyBytes: Int = 1 << 20, clock: any Clock<Duration> = ContinuousClock(),
        log: FakeConnectorServer.Log = .init(), _ body: @Sendable (HTTPConnectorClient, String) async throws -> Void
    ) async throws {
        let http = HTTPConnectorClient.makeHTTPClient()
        let client = HTTPConnectorClient(http: http, configuration: .init(maxReplyBytes: maxReplyBytes, clock: clock))
        do {
            try await FakeConnectorServer.run(log: log) { base in try await body(client, base) }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    func expectFailure(
        _ expected: (ConnectorFailure) -> Bool, sourceLocation: SourceLocation = #_sourceLocation,
        _ operation: () async throws -> ConnectorReply
    ) async {
        do {
            let reply = try await operation()
            Issue.record("expected a failure, got \(reply)", sourceLocation: sourceLocation)
        } catch let failure as ConnectorFailure {
            #expect(expected(failure), "unexpected failure \(failure)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("send threw something that is not a ConnectorFailure: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("200: the connector receives the PROTOCOL body and key; its data is the result; the timeout is disarmed")
    func syncResult() async throws {
        let clock = ManualClock()
        try await withClient(clock: clock) { client, base in
            let reply = try await client.send(Self.call, endpoint: base + "/ok/", key: FakeConnectorServer.key, timeout: .seconds(5))
            let expected: JSONValue = [
                "received": [
                    "pid": "p123", "service": "location", "action": "get", "user": "alice", "data": ["address": "tel:+1"],
                    "callback": "http://127.0.0.1:18080/connector/in/v1/events",
                ]
            ]
            #expect(reply == .result(expected))
            #expect(clock.sleeperCount == 0)
        }
    }

    @Test("202: accepted; DELETE tells the connector of a cancel")
    func acceptedAndCancel() async throws {
        let log = FakeConnectorServer.Log()
        try await withClient(log: log) { client, base in
            let reply = try await client.send(Self.call, endpoint: base + "/async", key: "k", timeout: .seconds(5))
            #expect(reply == .accepted)
            await client.cancel(pid: "p123", endpoint: base + "/async", key: "k")
        }
        #expect(await log.cancelled == ["p123"])
    }

    @Test("a wrong key is refused by the connector: refused 401 with its code")
    func wrongKey() async throws {
        try await withClient { client, base in
            await expectFailure({ $0 == .refused(status: 401, code: "unauthorized", message: "wrong connector key") }) {
                try await client.send(Self.call, endpoint: base + "/ok", key: "wrong", timeout: .seconds(5))
            }
        }
    }

    @Test("4xx and 5xx: refused with the error body's code and message, or the body text")
    func errorStatuses() async throws {
        try await withClient { client, base in
            await expectFailure({ $0 == .refused(status: 400, code: "bad_request", message: "address missing") }) {
                try await client.send(Self.call, endpoint: base + "/bad", key: "k", timeout: .seconds(5))
            }
            await expectFailure({ $0 == .refused(status: 503, code: "maintenance", message: "back soon") }) {
                try await client.send(Self.call, endpoint: base + "/maintenance", key: "k", timeout: .seconds(5))
            }
            await expectFailure({ $0 == .refused(status: 500, code: nil, message: "boom") }) {
                try await client.send(Self.call, endpoint: base + "/plain500", key: "k", timeout: .seconds(5))
            }
            await expectFailure({ $0 == .refused(status: 404, code: nil, message: "HTTP 404") }) {
                try await client.send(Self.call, endpoint: base + "/missing", key: "k", timeout: .seconds(5))
            }
        }
    }

    @Test("garbage, a 200 without data, an unexpected status and an oversized reply are malformed")
    func garbage() async throws {
        try await withClient(maxReplyBytes: 1024) { client, base in
            for path in ["/garbage", "/nodata", "/created", "/huge"] {
                await expectFailure({ if case .malformedReply = $0 { true } else { false } }) {
                    try await client.send(Self.call, endpoint: base + path, key: "k", timeout: .seconds(5))
                }
            }
        }
    }

    @Test("a connector slower than the timeout: the call is given up with timeout at the timeout, not before")
    func slow() async throws {
        let clock = ManualClock()
        let log = FakeConnectorServer.Log()
        try await withClient(clock: clock, log: log) { client, base in
            async let outcome = Self.outcome { () async throws(ConnectorFailure) in try await client.send(Self.call, endpoint: base + "/slow", key: "k", timeout: .seconds(5)) }
            try await eventually("the connector holds the call") { await log.slowCalls == 1 }
            try await clock.sleepers(reach: 1)
            clock.advance(by: .seconds(5) - .milliseconds(1))
            #expect(clock.sleeperCount == 1, "the timeout has not passed yet")
            clock.advance(by: .milliseconds(1))
            #expect(await outcome == .failure(.timeout))
            await log.releaseSlowCalls()
        }
    }

    /// What `send` gave, as a value.
    static func outcome(_ send: () async throws(ConnectorFailure) -> ConnectorReply) async -> Result<ConnectorReply, ConnectorFailure> {
        do throws(ConnectorFailure) {
            return .success(try await send())
        } catch {
            return .failure(error)
        }
    }

    @Test("nothing listening: unreachable at once (a refused connection is not retried until the timeout)")
    func down() async throws {
        let clock = ManualClock()
        try await withClient(clock: clock) { client, _ in
            await expectFailure({ if case .unreachable = $0 { true } else { false } }) {
                try await client.send(Self.call, endpoint: "http://127.0.0.1:1", key: "k", timeout: .seconds(5))
            }
            #expect(clock.sleeperCount == 0)
        }
    }

    @Test("endpoint and path join with one slash")
    func urlJoin() {
        #expect(HTTPConnectorClient.url("http://h:1/base/", path: "/v1/requests") == "http://h:1/base/v1/requests")
        #expect(HTTPConnectorClient.url("http://h:1", path: "/v1/requests") == "http://h:1/v1/requests")
    }
}
