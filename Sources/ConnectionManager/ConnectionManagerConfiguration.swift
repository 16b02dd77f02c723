import Foundation
import Metrics
import WSECore

/// Every limit of the browser WebSocket endpoint, with the defaults documented in docs/CONNECTION-MANAGER.md.
///
/// Durations are `Duration`s; sizes are bytes. Build one from the node's configuration file and pass it to
/// ``ConnectionManager/init(configuration:tokens:logger:)``.
public struct ConnectionManagerConfiguration: Sendable {
    /// The path browsers open (PROTOCOL.md: `/wse`).
    public var path: String = "/wse"
    /// An HTTP request's head (request line and headers, the WebSocket upgrade's too) must be complete within
    /// this time of the connection's start, or of the previous response on a keep-alive connection; else the
    /// connection is closed (slowloris).
    public var requestHeadTimeout: Duration = .seconds(30)
    /// An HTTP request's body must be complete within this time of its head, else the connection is closed (a
    /// body trickled in). Every body the node reads is bounded (at most 256 KiB), so this asks for some 4 KiB/s.
    public var requestBodyTimeout: Duration = .seconds(60)
    /// Connections (HTTP and WebSocket) one client IP address may hold at once; more are closed as soon as they
    /// are accepted. Nil: no bound. Behind a load balancer or reverse proxy every client has the proxy's
    /// address: raise it or set nil there (and bound connections at the proxy).
    public var maxConnectionsPerAddress: Int? = 1024
    /// The first message must be a `hello` within this time, else close 4408.
    public var helloTimeout: Duration = .seconds(10)
    /// A WebSocket ping is sent this often; a peer that has not answered the previous ping is closed (4408).
    /// Also announced to the client in `welcome.heartbeat`.
    public var heartbeatInterval: Duration = .seconds(30)
    /// A session that sends no message (pongs do not count) for this long is closed with 4408. Nil: never.
    public var idleTimeout: Duration? = .seconds(3600)
    /// Largest single frame accepted; a bigger one closes the connection with 1009.
    public var maxFrameSize: Int = 64 * 1024
    /// Largest message (all fragments together); a bigger one closes the connection with 1009.
    public var maxMessageSize: Int = 256 * 1024
    /// Most fragments one message may have; more closes the connection with 1009.
    public var maxFragmentsPerMessage: Int = 256
    /// Inbound message rate limit (token bucket): the steady rate per second.
    public var messagesPerSecond: Double = 20
    /// Inbound message rate limit: how many messages may arrive at once above the steady rate.
    public var messageBurst: Double = 40
    /// After this many refused (`rate_limited`) messages in a row the session is closed with 1008.
    public var rateLimitStrikes: Int = 20
    /// The bound of the send queue: bytes waiting in the node for a client that reads too slowly.
    public var sendQueueBytes: Int = 256 * 1024
    /// How long the send queue may stay over its bound before the session is closed with 4429.
    public var slowConsumerGrace: Duration = .seconds(10)
    /// While over its bound, a queue that grows by this many more bytes is closed with 4429 at once.
    public var sendQueueHardLimit: Int = 4 * 1024 * 1024
    /// How long a disconnected session (and its event buffer) waits for a `hello` with `resume`.
    public var resumeWindow: Duration = .seconds(60)
    /// Events kept per session for resume (until acknowledged); the oldest go first when full.
    public var resumeBufferEvents: Int = 256
    /// Bytes of event text kept per session for resume; the oldest go first when over.
    public var resumeBufferBytes: Int = 256 * 1024
    /// Sessions one user may hold at once (attached or waiting for a resume). A `hello` that would open one more
    /// first ends the user's oldest session that waits for a resume; when every one is attached, it is closed
    /// with 4409. Nil: no bound.
    public var maxSessionsPerUser: Int? = 20
    /// After sending a close frame, the connection is dropped if the peer has not answered within this time.
    public var closeTimeout: Duration = .seconds(5)
    /// Which page origins may open sessions, by retailer.
    public var retailers: [Retailer] = []
    /// Accept connections that send no `Origin` header; their `Principal.retailer` is nil. Browsers always send
    /// one, so such a client is not a browser and not a cross-site page: admitted by default (PROTOCOL.md);
    /// false refuses them with 4403.
    public var allowMissingOrigin: Bool = true
    /// Serve `/wse/echo`, a plain echo WebSocket with the same frame settings, for the Autobahn test suite.
    public var echoEndpoint: Bool = false
    /// The wall clock, read once per session when its token is verified: the token's expiry (a date) becomes
    /// a deadline on the connection's event loop. Every other timer runs on the event loop's clock.
    /// Tests pass a fixed clock.
    public var wallClock: @Sendable () -> Date = { Date() }
    /// Where the metrics go; nil: the process-wide `MetricsSystem.factory` when the manager is made (the node's
    /// Prometheus backend). Tests pass a `TestMetrics`. Every handle is made once, with the manager.
    public var metricsFactory: (any MetricsFactory)?
    /// Cluster mode: the shared session directory, told of every session opened and ended (docs/CLUSTER.md).
    /// Nil on a node that runs alone.
    public var sessionDirectory: (any SessionDirectory)?
    /// `sessions.store: shared`: every event is recorded there, and committed before `SessionOutput` returns; a
    /// resume of a session this node does not hold takes it over from there. Nil (the memory store): unchanged.
    public var journal: (any SessionJournal)?

    /// A retailer: a web site whose pages may use WSE, and the origins its pages are served from.
    public struct Retailer: Sendable, Hashable {
        /// The retailer's id; becomes `Principal.retailer` and is matched by services' access rules.
        public var id: String
        /// Allowed `Origin` values, such as `https://shop.example` or `http://127.0.0.1:8080`.
        /// The single value `*` admits every origin (development only).
        public var origins: [String]
        /// The client id its pages log in with (`auth.js`), which their tokens carry as `azp`. A retailer with one
        /// is bound to the token only: a page that merely sends its `Origin` does not act for it.
        public var clientID: String?

        public init(id: String, origins: [String], clientID: String? = nil) {
            self.id = id
            self.origins = origins
            self.clientID = clientID
        }
    }

    public init() {}

    /// The echo endpoint's path.
    public var echoPath: String { path + "/echo" }
}
