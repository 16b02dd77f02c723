import Cluster
import IdentityProxy
import Storage
import WSECore

/// Everything a WSE node is told at start-up (`wse serve --config FILE`, YAML or JSON).
/// Every section and field has a default except the ones a real deployment must choose.
/// See `config/node.example.yaml` for a commented example.
public struct NodeConfiguration: Sendable, Decodable {
    public var node: Node
    public var identity: Identity
    public var sessions: Sessions
    public var connectorIn: ConnectorIn
    public var admin: Admin
    public var metrics: Metrics
    /// Services registered at start-up (in addition to those stored through the admin API).
    public var services: [ServiceDefinition]
    /// How the node calls connectors (connector OUT).
    public var connectorOut: ConnectorOut

    public init(
        node: Node = .init(), identity: Identity = .init(), sessions: Sessions = .init(),
        connectorIn: ConnectorIn = .init(), admin: Admin = .init(), metrics: Metrics = .init(),
        services: [ServiceDefinition] = [], connectorOut: ConnectorOut = .init()
    ) {
        self.connectorOut = connectorOut
        self.metrics = metrics
        self.node = node
        self.identity = identity
        self.sessions = sessions
        self.connectorIn = connectorIn
        self.admin = admin
        self.services = services
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        node = try c.decodeIfPresent(Node.self, forKey: .node) ?? .init()
        identity = try c.decodeIfPresent(Identity.self, forKey: .identity) ?? .init()
        sessions = try c.decodeIfPresent(Sessions.self, forKey: .sessions) ?? .init()
        connectorIn = try c.decodeIfPresent(ConnectorIn.self, forKey: .connectorIn) ?? .init()
        admin = try c.decodeIfPresent(Admin.self, forKey: .admin) ?? .init()
        metrics = try c.decodeIfPresent(Metrics.self, forKey: .metrics) ?? .init()
        services = try c.decodeIfPresent([ServiceDefinition].self, forKey: .services) ?? []
        connectorOut = try c.decodeIfPresent(ConnectorOut.self, forKey: .connectorOut) ?? .init()
        if sessions.store == .shared, !PostgresURL.isPostgres(node.database) {
            throw DecodingError.dataCorruptedError(
                forKey: .sessions, in: c,
                debugDescription: "sessions.store: shared keeps events in PostgreSQL: it needs node.database: postgres://…")
        }
    }

    enum CodingKeys: String, CodingKey { case node, identity, sessions, connectorIn, admin, metrics, services, connectorOut }

    /// The bearer token `/metrics` asks for: `metrics.token`, else the admin token; `nil` when `metrics.open`.
    func metricsToken(adminToken: String) -> String? {
        metrics.open ? nil : metrics.token ?? adminToken
    }
}

extension NodeConfiguration {
    /// Where the node listens and keeps its data.
    public struct Node: Sendable, Decodable {
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        /// The URL connectors use to reach this node's connector IN (defaults to http://host:port).
        public var publicURL: String?
        /// The store: a SQLite database file (`:memory:` keeps nothing across restarts), or a PostgreSQL
        /// database shared by several nodes, `postgres://user[:password]@host[:port]/database` (docs/STORAGE.md).
        public var database: String = "wse.sqlite"
        /// Serve `/wse/echo` for the Autobahn WebSocket test-suite.
        public var echoEndpoint: Bool = false
        /// Seconds an HTTP request head may take to arrive (from the connection's start, or from the previous
        /// response on a keep-alive connection) before the connection is closed.
        public var requestHeadTimeout: Double = 30
        /// Seconds an HTTP request body may take to arrive after its head before the connection is closed.
        public var requestBodyTimeout: Double = 60
        /// Connections one client IP address may hold at once (more are closed at accept); 0: no bound.
        /// Behind a load balancer every client has its address: raise it or use 0 there.
        public var maxConnectionsPerAddress: Int = 1024
        /// This node's id in a cluster and in `GET /admin/v1/nodes`: letters, digits, `_`, `.`, `-` (at most 48).
        /// Default: `<hostname>-<port>-<pid>` (`<hostname>-<random>` on port 0) (docs/CLUSTER.md).
        public var id: String?

        /// Serve HTTPS and WSS with this certificate and key (PEM files; SIGHUP reloads them). Nil: plain HTTP.
        public var tls: TLS?

        /// The node's certificate chain and private key, as PEM files.
        public struct TLS: Sendable, Decodable {
            public var certificate: String
            public var key: String

            public init(certificate: String, key: String) {
                self.certificate = certificate
                self.key = key
            }
        }

        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
            port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
            guard (0...65535).contains(port) else {
                throw DecodingError.dataCorruptedError(forKey: .port, in: c, debugDescription: "a port is 0 to 65535")
            }
            publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
            database = try c.decodeIfPresent(String.self, forKey: .database) ?? database
            if PostgresURL.isPostgres(database) {
                do {
                    _ = try PostgresURL(database)
                } catch {
                    throw DecodingError.dataCorruptedError(forKey: .database, in: c, debugDescription: error.description)
                }
            }
            echoEndpoint = try c.decodeIfPresent(Bool.self, forKey: .echoEndpoint) ?? echoEndpoint
            requestHeadTimeout = try c.decodeIfPresent(Double.self, forKey: .requestHeadTimeout) ?? requestHeadTimeout
            requestBodyTimeout = try c.decodeIfPresent(Double.self, forKey: .requestBodyTimeout) ?? requestBodyTimeout
            maxConnectionsPerAddress = try c.decodeIfPresent(Int.self, forKey: .maxConnectionsPerAddress) ?? maxConnectionsPerAddress
            id = try c.decodeIfPresent(String.self, forKey: .id)
            if let id, !ClusterConfiguration.isValidNodeID(id) {
                throw DecodingError.dataCorruptedError(
                    forKey: .id, in: c, debugDescription: "a node id is 1 to 48 letters, digits, '_', '.' or '-'")
            }
            tls = try c.decodeIfPresent(TLS.self, forKey: .tls)
        }

        enum CodingKeys: String, CodingKey {
            case host, port, publicURL, database, echoEndpoint, requestHeadTimeout, requestBodyTimeout, maxConnectionsPerAddress, id, tls
        }

        public var baseURL: String { publicURL ?? "\(tls == nil ? "http" : "https")://\(host):\(port)" }
    }

    /// Which tokens the node trusts: its own identity proxy's, or an external OIDC issuer's.
    public struct Identity: Sendable, Decodable {
        /// `builtin` (this node's identity proxy issues and verifies) or `external`.
        public var mode: Mode = .builtin
        public var issuer: String = "wse"
        public var audience: String = "wse"
        /// Builtin: lifetime of issued tokens, in seconds.
        public var tokenLifetime: Int = 3600
        /// External: where the issuer publishes its keys.
        public var jwksURL: String?
        /// Builtin: the load balancers and reverse proxies whose `X-Forwarded-For` names the client of a
        /// login (addresses or CIDR networks); empty, the socket peer is the client.
        public var trustedProxies: TrustedProxies = .none

        public enum Mode: String, Sendable, Decodable { case builtin, external }

        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? mode
            issuer = try c.decodeIfPresent(String.self, forKey: .issuer) ?? issuer
            audience = try c.decodeIfPresent(String.self, forKey: .audience) ?? audience
            tokenLifetime = try c.decodeIfPresent(Int.self, forKey: .tokenLifetime) ?? tokenLifetime
            jwksURL = try c.decodeIfPresent(String.self, forKey: .jwksURL)
            trustedProxies = try c.decodeIfPresent(TrustedProxies.self, forKey: .trustedProxies) ?? trustedProxies
            if mode == .external, jwksURL == nil {
                throw DecodingError.dataCorruptedError(
                    forKey: .mode, in: c, debugDescription: "an external issuer needs 'jwksURL' (where its public keys are)")
            }
        }

        enum CodingKeys: String, CodingKey { case mode, issuer, audience, tokenLifetime, jwksURL, trustedProxies }
    }

    /// Browser sessions: limits, timers and which retailers' pages may connect.
    public struct Sessions: Sendable, Decodable {
        public var helloTimeout: Double = 10
        public var heartbeat: Double = 25
        public var idleTimeout: Double = 300
        public var resumeWindow: Double = 60
        public var maxMessageBytes: Int = 64 * 1024
        public var retailers: [Retailer] = []
        /// Admit connections without an Origin header (non-browser clients; browsers always send one).
        public var allowMissingOrigin: Bool = true
        /// Where sessions keep their events: `memory` (this node only), or `shared` (PostgreSQL: a session
        /// survives its node and resumes on another; needs `node.database: postgres://…`; docs/CLUSTER.md).
        public var store: Store = .memory

        public enum Store: String, Sendable, Decodable { case memory, shared }

        /// Sessions one user may hold at once (docs/CONNECTION-MANAGER.md); 0: no bound.
        public var maxPerUser: Int = 20

        public struct Retailer: Sendable, Decodable, Hashable {
            public var id: String
            public var origins: [String]

            public init(id: String, origins: [String]) {
                self.id = id
                self.origins = origins
            }
        }

        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            helloTimeout = try c.decodeIfPresent(Double.self, forKey: .helloTimeout) ?? helloTimeout
            heartbeat = try c.decodeIfPresent(Double.self, forKey: .heartbeat) ?? heartbeat
            idleTimeout = try c.decodeIfPresent(Double.self, forKey: .idleTimeout) ?? idleTimeout
            resumeWindow = try c.decodeIfPresent(Double.self, forKey: .resumeWindow) ?? resumeWindow
            maxMessageBytes = try c.decodeIfPresent(Int.self, forKey: .maxMessageBytes) ?? maxMessageBytes
            retailers = try c.decodeIfPresent([Retailer].self, forKey: .retailers) ?? []
            allowMissingOrigin = try c.decodeIfPresent(Bool.self, forKey: .allowMissingOrigin) ?? allowMissingOrigin
            store = try c.decodeIfPresent(Store.self, forKey: .store) ?? store
            maxPerUser = try c.decodeIfPresent(Int.self, forKey: .maxPerUser) ?? maxPerUser
        }

        enum CodingKeys: String, CodingKey {
            case helloTimeout, heartbeat, idleTimeout, resumeWindow, maxMessageBytes, retailers, allowMissingOrigin, store
            case maxPerUser
        }
    }

    /// Limits of the endpoint where connectors push data.
    public struct ConnectorIn: Sendable, Decodable {
        public var maxBodyBytes: Int = 256 * 1024
        /// Pushes per second one connector may make (a burst of twice that is allowed).
        public var ratePerSecond: Double = 20_000

        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
            ratePerSecond = try c.decodeIfPresent(Double.self, forKey: .ratePerSecond) ?? ratePerSecond
        }

        enum CodingKeys: String, CodingKey { case maxBodyBytes, ratePerSecond }
    }

    /// Connector OUT, the node's calls to the connectors.
    public struct ConnectorOut: Sendable, Decodable {
        /// A PEM file of CA certificates trusted, besides the system's, for connectors at `https://` endpoints
        /// (a private CA, `wse demo --tls`'s). A file that cannot be read stops the start with the reason.
        public var caFile: String?

        public init(caFile: String? = nil) { self.caFile = caFile }
    }

    /// The operator's API (`/admin/v1`, `/orchestrator/v1`).
    public struct Admin: Sendable, Decodable {
        /// The admin bearer token. When absent one is generated at first start, stored, and printed once.
        public var token: String?

        public init() {}
    }

    /// `GET /metrics` (docs/PROTOCOL-EXTENSIONS.md).
    public struct Metrics: Sendable, Decodable {
        /// The bearer token scrapers send; when absent, the admin token.
        public var token: String?
        /// No token at all: only for a node that listens on loopback or a network only the scraper reaches.
        public var open: Bool = false

        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            token = try c.decodeIfPresent(String.self, forKey: .token)
            open = try c.decodeIfPresent(Bool.self, forKey: .open) ?? open
        }

        enum CodingKeys: String, CodingKey { case token, open }
    }
}
