import Metrics
import WSECore

/// The connection manager's metrics (swift-metrics), every handle made once, with the manager, from
/// `ConnectionManagerConfiguration.metricsFactory`.
struct ConnectionManagerMetrics: Sendable {
    /// Sessions that exist: attached, or waiting inside their resume window.
    let sessions: Gauge
    /// Open `/wse` WebSocket connections.
    let connections: Gauge
    let messagesIn: Counter
    let messagesOut: Counter
    let resumes: Counter
    let slowConsumerCloses: Counter
    /// `wse_closes_total` by code, for the codes WSE sends and the standard codes a client may send.
    private let closesByServer: [UInt16: Counter]
    private let closesByClient: [UInt16: Counter]
    /// Any other code a client sends (3000–4999 are the application's to choose): one label value keeps
    /// the number of series bounded whatever clients send.
    private let otherClosesByServer: Counter
    private let otherClosesByClient: Counter

    init(factory: any MetricsFactory) {
        sessions = Gauge(label: "wse_sessions", factory: factory)
        connections = Gauge(label: "wse_connections", factory: factory)
        messagesIn = Counter(label: "wse_messages_in_total", factory: factory)
        messagesOut = Counter(label: "wse_messages_out_total", factory: factory)
        resumes = Counter(label: "wse_resumes_total", factory: factory)
        slowConsumerCloses = Counter(label: "wse_slow_consumer_closes_total", factory: factory)
        func closes(_ code: String, by: String) -> Counter {
            Counter(label: "wse_closes_total", dimensions: [("code", code), ("by", by)], factory: factory)
        }
        let codes = Set(Self.standardCodes).union(CloseCode.allCases.map(\.rawValue))
        closesByServer = Dictionary(uniqueKeysWithValues: codes.map { ($0, closes("\($0)", by: "server")) })
        closesByClient = Dictionary(uniqueKeysWithValues: codes.map { ($0, closes("\($0)", by: "client")) })
        otherClosesByServer = closes("other", by: "server")
        otherClosesByClient = closes("other", by: "client")
    }

    /// RFC 6455 §7.4.1 codes an endpoint may send in a close frame.
    private static let standardCodes: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011]

    /// Counts one closed connection by its close code and by who closed it.
    func recordClose(code: UInt16, byClient: Bool) {
        if byClient {
            (closesByClient[code] ?? otherClosesByClient).increment()
        } else {
            (closesByServer[code] ?? otherClosesByServer).increment()
        }
    }
}
