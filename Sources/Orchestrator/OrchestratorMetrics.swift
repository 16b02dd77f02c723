import Metrics
import Synchronization
import WSECore

/// The orchestrator's metrics (swift-metrics; names in docs/ORCHESTRATOR.md), with every handle made
/// once from the configured factory: the fixed ones here, the per-composition and per-service ones
/// on first use and kept in a bounded cache.
final class OrchestratorMetrics: Sendable {
    /// How many per-composition or per-service handles are kept; beyond it one is dropped for each new one.
    static let cachedHandles = 1024

    private let factory: any MetricsFactory
    private let running: Gauge
    private let runsDone: Counter
    private let runsCancelled: Counter
    private let runsFailed: Counter
    private let refused: [ErrorCode: Counter]
    private let publications = Mutex<[String: Counter]>([:])
    private let siteCalls = Mutex<[SiteCallKey: Counter]>([:])

    private struct SiteCallKey: Hashable, Sendable {
        var service: ServiceID
        var mode: SiteCallMode
    }

    init(factory: any MetricsFactory) {
        self.factory = factory
        running = Gauge(label: "wse_orchestrator_compositions_running", factory: factory)
        func runs(_ reason: EndReason) -> Counter {
            Counter(label: "wse_orchestrator_runs_total", dimensions: [("reason", reason.rawValue)], factory: factory)
        }
        runsDone = runs(.done)
        runsCancelled = runs(.cancelled)
        runsFailed = runs(.error)
        refused = Dictionary(uniqueKeysWithValues: ErrorCode.allCases.map { code in
            (code, Counter(label: "wse_orchestrator_site_calls_refused_total", dimensions: [("code", code.rawValue)], factory: factory))
        })
    }

    func runningCompositions(_ count: Int) { running.record(count) }

    func runEnded(_ reason: EndReason) {
        switch reason {
        case .done: runsDone.increment()
        case .cancelled: runsCancelled.increment()
        case .error: runsFailed.increment()
        }
    }

    /// The publication counter of `composition`, for a run to keep and increment per publication.
    func publications(of composition: String) -> Counter {
        Self.handle(composition, in: publications) {
            Counter(label: "wse_orchestrator_publications_total", dimensions: [("composition", composition)], factory: factory)
        }
    }

    /// A site call the mediator admitted. Only admitted calls carry the service's name, so a program
    /// cannot grow the label set with made-up names.
    func siteCallStarted(service: ServiceID, mode: SiteCallMode) {
        Self.handle(SiteCallKey(service: service, mode: mode), in: siteCalls) {
            Counter(label: "wse_orchestrator_site_calls_total", dimensions: [("service", service.rawValue), ("mode", mode.rawValue)], factory: factory)
        }.increment()
    }

    func siteCallRefused(_ code: ErrorCode) { refused[code]?.increment() }

    /// The cached handle for `key`, made by `make` the first time.
    private static func handle<Key: Hashable & Sendable>(_ key: Key, in cache: borrowing Mutex<[Key: Counter]>, make: () -> Counter) -> Counter {
        cache.withLock { handles in
            if let known = handles[key] { return known }
            if handles.count >= cachedHandles, let evicted = handles.keys.first { handles[evicted] = nil }
            let made = make()
            handles[key] = made
            return made
        }
    }
}
