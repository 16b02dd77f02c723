import Metrics
import Synchronization

/// Connector IN's answers counted by HTTP status (`wse_connector_in_requests_total`, docs/MEDIATOR.md).
/// Each status's counter is made once, when that status is first answered.
final class ConnectorInMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[Int: Counter]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func recordAnswer(status: Int) {
        let counter = counters.withLock { counters in
            if let counter = counters[status] { return counter }
            let counter = Counter(label: "wse_connector_in_requests_total", dimensions: [("status", String(status))], factory: factory)
            counters[status] = counter
            return counter
        }
        counter.increment()
    }
}
