/// Port: sends messages to browser sessions. Implemented by the connection manager.
///
/// A session that is disconnected but still inside its resume window counts as reached: its events
/// are kept for the resume, other messages are dropped.
///
/// The requirements run on the caller's executor (`nonisolated(nonsending)`): the mediator calls them from
/// its actor for every message, and an implementation that needs no isolation of its own (the connection
/// manager: a lock per session) then costs no hop off the actor and back.
public protocol SessionOutput: Sendable {
    /// Sends a `response`, `end` or `error` to one session. Events go through `send(_ event:toSession:)`.
    /// - Returns: false when the session no longer exists.
    @discardableResult
    nonisolated(nonsending) func send(_ message: ServerMessage, toSession session: SessionID) async -> Bool

    /// Sends an event to one session, which gives it the next `seq` and keeps it for resume.
    /// - Returns: whether the session took it, and (shared session store) whether it is durable.
    @discardableResult
    nonisolated(nonsending) func send(_ event: OutboundEvent, toSession session: SessionID) async -> EventDelivery

    /// An unsolicited push: an event (without pid) to every session of `user` whose principal `admits` accepts.
    /// - Returns: the user's sessions and how many of them the push reached.
    nonisolated(nonsending) func push(
        toUser user: UserName, service: ServiceID, data: JSONValue, admitting admits: @Sendable (Principal) -> Bool
    ) async
        -> UserPushReach
}

/// What became of an event sent to one session.
public enum EventDelivery: Sendable, Equatable {
    /// The session took it (and, with the shared session store, it is committed).
    case kept
    /// The session took it, but its commit to the shared session store failed: it would not survive the node.
    case notDurable
    /// The session no longer exists.
    case sessionGone
}

/// How far an unsolicited push went: `sessions` the user has, `reached` of them admitted and still there;
/// `durable` is false when the shared session store could not commit it (always true for the memory store).
public struct UserPushReach: Sendable, Equatable {
    public var sessions: Int
    public var reached: Int
    public var durable = true

    public init(sessions: Int, reached: Int) {
        self.sessions = sessions
        self.reached = reached
    }
}
