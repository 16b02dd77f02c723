/// A browser session as the mediator sees it.
public struct SessionContext: Sendable, Hashable {
    public var id: SessionID
    public var principal: Principal

    public init(id: SessionID, principal: Principal) {
        self.id = id
        self.principal = principal
    }
}

/// Port: what the connection manager hands client messages to. Implemented by the mediator,
/// which answers through `SessionOutput`.
///
/// A reference type owned by whoever wires the node: the connection manager holds it weakly, since
/// the mediator holds the connection manager (its `SessionOutput`).
public protocol ClientRequestHandling: AnyObject, Sendable {
    /// Routes a `request`; every answer (response, events, end, error) goes to the session.
    func handle(_ request: ClientRequest, from session: SessionContext) async
    /// Ends a process the session started.
    func cancel(pid: ProcessID, from session: SessionContext) async throws(ServiceError)
    /// The session is gone for good (closed, or its resume window passed): its processes end.
    func sessionEnded(_ sessionID: SessionID) async
}
