import Metrics
import WSECore

/// The orchestrator's metrics (swift-metrics; names in docs/ORCHESTRATOR.md).
struct OrchestratorMetrics: Sendable {
    private let running = Gauge(label: "wse_orchestrator_compositions_running")

    func runningCompositions(_ count: Int) { running.record(count) }

    func runEnded(_ reason: EndReason) {
        Counter(label: "wse_orchestrator_runs_total", dimensions: [("reason", reason.rawValue)]).increment()
    }

    func published(composition: String) {
        Counter(label: "wse_orchestrator_publications_total", dimensions: [("composition", composition)]).increment()
    }

    /// A site call the mediator admitted. Only admitted calls carry the service's name, so a program
    /// cannot grow the label set with made-up names.
    func siteCallStarted(service: ServiceID, mode: SiteCallMode) {
        Counter(label: "wse_orchestrator_site_calls_total", dimensions: [("service", service.rawValue), ("mode", mode.rawValue)]).increment()
    }

    func siteCallRefused(_ code: ErrorCode) {
        Counter(label: "wse_orchestrator_site_calls_refused_total", dimensions: [("code", code.rawValue)]).increment()
    }
}
