@testable import ConnectionManager
import MetricsTestKit
import Testing
import WSECore

@Suite struct MetricsTests {
    @Test func countsSessionsMessagesResumesAndCloseCodes() async throws {
        let metrics = TestMetrics()
        try await TestServer.run(metrics: metrics) { server in
            let (socket, session) = try await server.session("alice")
            #expect(try metrics.expectGauge("wse_sessions").lastValue == 1)
            #expect(try metrics.expectGauge("wse_connections").lastValue == 1)

            try await socket.send(["type": "request", "id": "r", "service": "echo", "action": "a"])
            _ = try await socket.nextMessage()
            #expect(try metrics.expectCounter("wse_messages_in_total").totalValue == 1)
            #expect(try metrics.expectCounter("wse_messages_out_total").totalValue == 2)  // welcome, response

            try await socket.cut()
            let again = try await server.connect()
            _ = try await again.hello(token: "user:alice", resume: (session, 0))
            #expect(try metrics.expectCounter("wse_resumes_total").totalValue == 1)

            let refused = try await server.connect()
            try await refused.send(#"{"type":"hello","token":"badsig"}"#)
            #expect(try await refused.closeCode() == 4401)
            #expect(try metrics.expectCounter("wse_closes_total", [("code", "4401"), ("by", "server")]).totalValue == 1)
            #expect(try metrics.expectGauge("wse_sessions").lastValue == 1)
        }
    }
}

@Suite struct CloseMetricsTests {
    @Test func closesAreCountedByCodeAndByWhoClosedWithUnlistedClientCodesAsOther() throws {
        let metrics = TestMetrics()
        let closes = ConnectionManagerMetrics(factory: metrics)
        closes.recordClose(code: 4408, byClient: false)
        closes.recordClose(code: 1000, byClient: true)
        closes.recordClose(code: 4123, byClient: true)
        closes.recordClose(code: 3999, byClient: true)
        #expect(try metrics.expectCounter("wse_closes_total", [("code", "4408"), ("by", "server")]).totalValue == 1)
        #expect(try metrics.expectCounter("wse_closes_total", [("code", "1000"), ("by", "client")]).totalValue == 1)
        #expect(try metrics.expectCounter("wse_closes_total", [("code", "other"), ("by", "client")]).totalValue == 2)
        #expect(try metrics.expectCounter("wse_closes_total", [("code", "4408"), ("by", "client")]).totalValue == 0)
    }
}
