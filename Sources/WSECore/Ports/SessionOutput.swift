/// Port: sends messages to browser sessions. Implemented by the connection manager.
public protocol SessionOutput: Sendable {
    /// Sends one message to one session. For `.event` the `seq` given is ignored: the
    /// session numbers its events and keeps them for resume. A session that is
    /// disconnected but still inside its resume window counts as reached.
    /// - Returns: false when the session no longer exists.
    @discardableResult
    func send(_ message: ServerMessage, toSession session: SessionID) async -> Bool

    /// An unsolicited push: an event (without pid) to every session of `user`.
    /// - Returns: how many sessions it reached.
    func push(toUser user: UserName, service: ServiceID, data: JSONValue) async -> Int
}
