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
    /// - Returns: false when the session no longer exists.
    @discardableResult
    nonisolated(nonsending) func send(_ event: OutboundEvent, toSession session: SessionID) async -> Bool

    /// An unsolicited push: an event (without pid) to every session of `user` whose principal `admits` accepts.
    /// - Returns: the user's sessions and how many of them the push reached.
    nonisolated(nonsending) func push(
        toUser user: UserName, service: ServiceID, data: JSONValue, admitting admits: @Sendable (Principal) -> Bool
    ) async
        -> UserPushReach
}

/// How far an unsolicited push went: `sessions` the user has, `reached` of them admitted and still there.
public struct UserPushReach: Sendable, Equatable {
    public var sessions: Int
    public var reached: Int

    public init(sessions: Int, reached: Int) {
        self.sessions = sessions
        self.reached = reached
    }
}
