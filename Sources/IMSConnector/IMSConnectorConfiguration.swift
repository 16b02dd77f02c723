import ConfigFile
import ConnectorKit
import SIP

/// The IMS connector's configuration file (YAML or JSON, same shape):
///
/// ```yaml
/// listen: { host: 127.0.0.1, port: 18090 }
/// key: "shared key"                 # connector OUT bearer key; also sent to connector IN
/// callbackKey: "other key"          # optional: a different key for connector IN
/// sip:
///   server: { transport: udp, host: 127.0.0.1, port: 25060 }
///   domain: 127.0.0.1               # the domain of the users' SIP addresses
///   registerExpires: 3600           # optional, also publishExpires, subscribeExpires
/// eventQueueLimit: 1000             # optional: events per user waiting for connector IN; past it
///                                   # the oldest are dropped (error log, dropped-events counter)
/// users:                            # WSE user -> SIP credentials
///   alice: { username: alice, password: secret }
/// tls: { certificate: cert.pem, key: key.pem }   # optional: serve connector OUT over HTTPS only
/// caFile: ca.pem                    # optional: also trust these certificates for connector IN over https
/// ```
public struct IMSConnectorConfiguration: Codable, Sendable {
    public struct Listen: Codable, Sendable {
        public var host: String
        public var port: Int
        public init(host: String = "127.0.0.1", port: Int) {
            self.host = host
            self.port = port
        }
    }

    public struct Server: Codable, Sendable {
        public var transport: String
        public var host: String
        public var port: Int
        public init(transport: String = "udp", host: String, port: Int) {
            self.transport = transport
            self.host = host
            self.port = port
        }
    }

    public struct SIPSettings: Codable, Sendable {
        public var server: Server
        public var domain: String
        public var registerExpires: Int?
        public var publishExpires: Int?
        public var subscribeExpires: Int?
        public init(server: Server, domain: String, registerExpires: Int? = nil, publishExpires: Int? = nil,
                    subscribeExpires: Int? = nil) {
            self.server = server
            self.domain = domain
            self.registerExpires = registerExpires
            self.publishExpires = publishExpires
            self.subscribeExpires = subscribeExpires
        }
    }

    public struct Credentials: Codable, Sendable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public var listen: Listen
    public var key: String
    public var callbackKey: String?
    public var sip: SIPSettings
    public var users: [String: Credentials]
    /// Events per user waiting for connector IN; `nil` is `defaultEventQueueLimit`.
    public var eventQueueLimit: Int?
    public static let defaultEventQueueLimit = 1000
    /// Serve connector OUT over HTTPS only, with this certificate and key; nil: plain HTTP.
    public var tls: ListenerTLS?
    /// A PEM file of certificates trusted, besides the system's, for connector IN over https.
    public var caFile: String?

    public init(listen: Listen, key: String, callbackKey: String? = nil, sip: SIPSettings, users: [String: Credentials],
                eventQueueLimit: Int? = nil, tls: ListenerTLS? = nil, caFile: String? = nil) {
        self.tls = tls
        self.caFile = caFile
        self.eventQueueLimit = eventQueueLimit
        self.listen = listen
        self.key = key
        self.callbackKey = callbackKey
        self.sip = sip
        self.users = users
    }

    /// Reads the file as YAML (JSON is YAML too); a problem is reported with its file, line and column.
    public static func load(path: String) throws(ConfigFileError) -> IMSConnectorConfiguration {
        try ConfigFile.load(Self.self, from: path)
    }

    /// The server endpoint; throws for a transport other than udp/tcp or a non-IP host.
    func serverEndpoint() throws -> SIPEndpoint {
        guard let kind = SIPTransportKind(rawValue: sip.server.transport.uppercased()) else {
            throw IMSConnectorError.configuration("sip.server.transport must be udp or tcp, not '\(sip.server.transport)'")
        }
        return try SIPEndpoint(kind, host: sip.server.host, port: sip.server.port)
    }
}
