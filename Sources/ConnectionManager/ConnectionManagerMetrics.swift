import Metrics

/// The connection manager's metrics (swift-metrics; exported by whatever backend the node bootstraps).
struct ConnectionManagerMetrics: Sendable {
    /// Sessions that exist: attached, or waiting inside their resume window.
    let sessions: Gauge
    /// Open `/wse` WebSocket connections.
    let connections: Gauge
    let messagesIn: Counter
    let messagesOut: Counter
    let resumes: Counter
    let slowConsumerCloses: Counter
    private let factory: any MetricsFactory

    init(factory: any MetricsFactory) {
        self.factory = factory
        sessions = Gauge(label: "wse_sessions", factory: factory)
        connections = Gauge(label: "wse_connections", factory: factory)
        messagesIn = Counter(label: "wse_messages_in_total", factory: factory)
        messagesOut = Counter(label: "wse_messages_out_total", factory: factory)
        resumes = Counter(label: "wse_resumes_total", factory: factory)
        slowConsumerCloses = Counter(label: "wse_slow_consumer_closes_total", factory: factory)
    }

    /// Counts one closed connection by its close code and by who closed it.
    func recordClose(code: UInt16, byClient: Bool) {
        Counter(label: "wse_closes_total", dimensions: [("code", "\(code)"), ("by", byClient ? "client" : "server")], factory: factory)
            .increment()
    }
}
