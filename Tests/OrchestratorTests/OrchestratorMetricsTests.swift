import Testing
import WSECore
import WSETesting

@testable import Orchestrator

@Suite("OE: metrics")
struct OrchestratorMetricsTests {
    @Test("runs, publications and site calls are counted on handles made once, from the configured factory")
    func countedOnHandlesMadeOnce() async throws {
        let factory = CountingMetricsFactory()
        let harness = Harness(
            ["contacts": .answer(["n": 1]), "secret": .refused(ServiceError(.forbidden, "not for alice"))],
            configuration: OrchestratorConfiguration(metricsFactory: factory))
        let madeAtStart = factory.handlesMade
        let source = #"(1 | 2 | 3) | Service("contacts", "list").n | Service("contacts", "list").n | (Service("secret", "x") ; "fallback")"#
        for (index, pid) in [ProcessID("c1"), ProcessID("c2")].enumerated() {
            let sink = try await harness.start(source, pid: pid)
            #expect(try await sink.waitForEnd() == .done)
            #expect(await sink.emitted.count == 6)
            if index == 0 {
                // The first run made the handles of its composition and of the service it called.
                #expect(factory.handlesMade == madeAtStart + 2)
            }
        }
        #expect(factory.handlesMade == madeAtStart + 2, "the second run made no handle")

        let recorded = factory.recorded
        #expect(try recorded.expectCounter("wse_orchestrator_publications_total", [("composition", "comp")]).totalValue == 12)
        #expect(try recorded.expectCounter("wse_orchestrator_site_calls_total", [("service", "contacts"), ("mode", "call")]).totalValue == 4)
        #expect(try recorded.expectCounter("wse_orchestrator_site_calls_refused_total", [("code", "forbidden")]).totalValue == 2)
        #expect(try recorded.expectCounter("wse_orchestrator_runs_total", [("reason", "done")]).totalValue == 2)
        #expect(try recorded.expectCounter("wse_orchestrator_runs_total", [("reason", "error")]).totalValue == 0)
        #expect(try recorded.expectGauge("wse_orchestrator_compositions_running").values == [1, 0, 1, 0])
    }
}
