import Testing
import WSECore

@testable import Mediator

@Suite("Mediator metrics")
struct MediatorMetricsTests {
    @Test("figures go to the factory of the configuration; each handle is made once, an error code's at its first use")
    func injectedFactory() async throws {
        let metrics = CountingMetrics()
        let location = ServiceDefinition.basic("location", access: AccessRule(users: ["alice"]))
        let h = try await Harness([location], metrics: metrics)
        await h.connector.set(location.url, .answer(.success(.accepted)))
        _ = try await h.request("location", action: "subscribe")
        for n in 1...2 { await h.mediator.handle(ClientRequest(id: "f\(n)", service: "location", action: "get"), from: .bob) }
        #expect(await h.sessions.messages("s-bob").map(\.errorCode) == [.forbidden, .forbidden])

        let service = ("service", "location")
        #expect(try metrics.recorded.expectCounter("wse_service_requests_total", [service, ("kind", "basic")]).totalValue == 3)
        #expect(try metrics.recorded.expectCounter("wse_service_errors_total", [service, ("code", "forbidden")]).totalValue == 2)
        #expect(try metrics.recorded.expectTimer("wse_service_latency_seconds", [service]).values.count == 1)
        #expect(try metrics.recorded.expectGauge("wse_service_in_flight", [service]).lastValue == 1, "the subscription is open")
        #expect(metrics.handlesMade("wse_service_errors_total") == 1, "two errors of one code, one handle")
        #expect(metrics.handlesMade("wse_service_requests_total") == 1)
        #expect(metrics.handlesMade("wse_service_in_flight") == 1)
    }
}

extension ServerMessage {
    var errorCode: ErrorCode? {
        if case .error(_, let code, _) = self { code } else { nil }
    }
}
