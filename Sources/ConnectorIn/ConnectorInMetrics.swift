import Metrics

/// Connector IN's metric (`wse_connector_in_requests_total` by `status`, docs/MEDIATOR.md), with a
/// handle made once per status the controller answers.
struct ConnectorInMetrics: Sendable {
    /// Every status `ConnectorInController.receive` answers.
    static let statuses = [200, 202, 400, 401, 403, 404, 413, 429]

    private let factory: any MetricsFactory
    private let requests: [Int: Counter]

    init(factory: any MetricsFactory) {
        self.factory = factory
        requests = Dictionary(uniqueKeysWithValues: Self.statuses.map { ($0, Self.requestCounter(status: $0, factory: factory)) })
    }

    func answered(status: Int) {
        // A status missing from `statuses` is still counted, on a handle made for the occasion.
        (requests[status] ?? Self.requestCounter(status: status, factory: factory)).increment()
    }

    private static func requestCounter(status: Int, factory: any MetricsFactory) -> Counter {
        Counter(label: "wse_connector_in_requests_total", dimensions: [("status", String(status))], factory: factory)
    }
}
