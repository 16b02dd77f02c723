/// The connector behind a connector IN call, known by its key.
public struct ConnectorIdentity: Sendable, Hashable {
    /// The services that share this key; the connector may push only for them.
    public var services: Set<ServiceID>

    public init(services: Set<ServiceID>) { self.services = services }
}

/// What happened to data a connector pushed.
public enum InboundOutcome: Sendable, Equatable {
    /// Delivered to this many sessions (or to a running composition, counted as 1).
    case delivered(Int)
    /// No such process, or no session of that user (answered 404).
    case notFound(String)
    /// The key's connector does not serve that process's service (answered 403).
    case forbidden(String)
    /// Not taken now, but may be later (answered 503 `unavailable`, so the connector retries): in a cluster, the
    /// node that holds the process does not answer, or the event could not be made durable (docs/CLUSTER.md).
    case unavailable(String)
}

/// Port: where connector IN hands what connectors push. Implemented by the mediator, which
/// routes by process id to the session or the composition that owns the process.
public protocol ConnectorInbound: Sendable {
    /// The connector that holds `key`, or nil for a wrong key.
    func connector(forKey key: String) async -> ConnectorIdentity?
    func processData(pid: ProcessID, data: JSONValue, final: Bool, from connector: ConnectorIdentity) async -> InboundOutcome
    func userPush(user: UserName, service: ServiceID, data: JSONValue, from connector: ConnectorIdentity) async -> InboundOutcome
    /// Who may use `service`, or nil when it is not registered: a user push reaches a session whose principal it
    /// admits, or that runs a process of the service (a cluster applies it to the sessions of dead nodes).
    func accessRule(of service: ServiceID) async -> AccessRule?
}
