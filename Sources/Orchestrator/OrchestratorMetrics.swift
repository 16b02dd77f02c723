import Metrics
import WSECore

/// The orchestrator's metrics (swift-metrics; names in docs/ORCHESTRATOR.md). Every handle is made once,
/// from the factory of `OrchestratorConfiguration`.
struct OrchestratorMetrics: Sendable {
    private struct SiteCall: Hashable {
        var service: ServiceID
        var mode: SiteCallMode
    }

    private let running: Gauge
    private let runs: CounterFamily<EndReason>
    private let publications: CounterFamily<String>
    private let siteCalls: CounterFamily<SiteCall>
    private let refusals: CounterFamily<ErrorCode>

    init(factory: any MetricsFactory) {
        running = Gauge(label: "wse_orchestrator_compositions_running", factory: factory)
        runs = CounterFamily("wse_orchestrator_runs_total", factory: factory) { [("reason", $0.rawValue)] }
        publications = CounterFamily("wse_orchestrator_publications_total", factory: factory) { [("composition", $0)] }
        siteCalls = CounterFamily("wse_orchestrator_site_calls_total", factory: factory) {
            [("service", $0.service.rawValue), ("mode", $0.mode.rawValue)]
        }
        refusals = CounterFamily("wse_orchestrator_site_calls_refused_total", factory: factory) { [("code", $0.rawValue)] }
    }

    func runningCompositions(_ count: Int) { running.record(count) }

    func runEnded(_ reason: EndReason) { runs.increment(reason) }

    func published(composition: String) { publications.increment(composition) }

    /// A site call the mediator admitted. Only admitted calls carry the service's name, so a program
    /// cannot grow the label set with made-up names.
    func siteCallStarted(service: ServiceID, mode: SiteCallMode) { siteCalls.increment(SiteCall(service: service, mode: mode)) }

    func siteCallRefused(_ code: ErrorCode) { refusals.increment(code) }
}
