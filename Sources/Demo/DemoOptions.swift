import WSEApp
import IdentityProxy
import Logging

/// How `wse demo` runs.
public struct DemoOptions: Sendable {
    /// The node's port (PROTOCOL.md's demo contract: 8080).
    public var port: Int = 8080
    /// The SQLite file; nil makes a fresh one in the temporary folder for each run.
    public var database: String?
    /// Page origins allowed to open sessions, besides the node's own.
    public var extraOrigins: [String] = []
    public var logLevel: Logger.Level = .notice
    /// Hashes the seeded passwords and checks logins (tests give it a thread pool of its own).
    public var passwordHasher = PasswordHasher()
    /// An external SIP/IMS core for the IMS connector; nil starts the embedded presence server.
    public var sipCore: DemoSIPCore?
    /// A hash of the demo password, made by `passwordHasher`, to seed the demo users with instead of
    /// hashing it anew for each: a process that starts many deployments (the integration tests)
    /// then pays the deliberately slow hashing once, not three times per deployment.
    public var seededPasswordHash: String?
    /// The node's `sessions.maxPerUser` (0: no bound); benchmarks that hold thousands of sessions for the three
    /// demo users lift it.
    public var maxSessionsPerUser: Int = NodeConfiguration.Sessions().maxPerUser
    /// The cluster nodes' `sessions.store`: `shared` (the default: sessions survive their node) or `memory`
    /// (bench/cluster compares the two); the one-node demo ignores it.
    public var clusterSessionStore = "shared"
    /// Serve HTTPS and WSS (the node, the connectors, the retailer's site) with a certificate authority made at
    /// start in the demo's temporary folder (`wse demo --tls`); the one-node demo only.
    public var tls = false

    public init() {}
}
