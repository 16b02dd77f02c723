import Metrics

/// The connection manager's metrics (swift-metrics; exported by whatever backend the node bootstraps).
struct ConnectionManagerMetrics: Sendable {
    /// Sessions that exist: attached, or waiting inside their resume window.
    let sessions = Gauge(label: "wse_sessions")
    /// Open `/wse` WebSocket connections.
    let connections = Gauge(label: "wse_connections")
    let messagesIn = Counter(label: "wse_messages_in_total")
    let messagesOut = Counter(label: "wse_messages_out_total")
    let resumes = Counter(label: "wse_resumes_total")
    let slowConsumerCloses = Counter(label: "wse_slow_consumer_closes_total")

    /// Counts one closed connection by its close code and by who closed it.
    func recordClose(code: UInt16, byClient: Bool) {
        Counter(label: "wse_closes_total", dimensions: [("code", "\(code)"), ("by", byClient ? "client" : "server")]).increment()
    }
}
