import MetricsTestKit
import Testing
import WSETesting
import WSECore

@testable import Orchestrator

@Suite("OE metrics")
struct OrchestratorMetricsTests {
    @Test("runs, publications and site calls are counted in the factory of the configuration")
    func countedInTheInjectedFactory() async throws {
        let metrics = TestMetrics()
        let harness = Harness(
            ["contacts": .answer(["n": 2]), "secret": .refused(ServiceError(.forbidden, "no"))],
            configuration: OrchestratorConfiguration(metrics: metrics))
        let sink = try await harness.start(#"Service("contacts", "list").n | 1 | Service("secret", "get")"#)
        #expect(try await sink.waitForEnd() == .done)
        try await eventually("the run is counted") { metrics.counters(label: "wse_orchestrator_runs_total").count == 1 }
        #expect(try metrics.expectCounter("wse_orchestrator_runs_total", [("reason", "done")]).totalValue == 1)
        #expect(try metrics.expectCounter("wse_orchestrator_publications_total", [("composition", "comp")]).totalValue == 2)
        #expect(try metrics.expectCounter("wse_orchestrator_site_calls_total", [("service", "contacts"), ("mode", "call")]).totalValue == 1)
        #expect(try metrics.expectCounter("wse_orchestrator_site_calls_refused_total", [("code", "forbidden")]).totalValue == 1)
        #expect(try metrics.expectGauge("wse_orchestrator_compositions_running").lastValue == 0)
    }
}
