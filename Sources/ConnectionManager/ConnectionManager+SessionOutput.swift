import WSECore

extension ConnectionManager: SessionOutput {
    /// Held for an away client, the message is committed to the shared session store (if any) before this
    /// returns, as an event would be; a connected client's message is not recorded (it was sent).
    @discardableResult
    public nonisolated(nonsending) func send(_ message: ServerMessage, toSession id: SessionID) async -> Bool {
        guard let session = session(withID: id) else { return false }
        let outcome = session.send(message, recordingIn: configuration.journal)
        if case .heldWhileAway = outcome, let journal = configuration.journal { await journal.committed() }
        return outcome.reached
    }

    @discardableResult
    public nonisolated(nonsending) func send(_ event: OutboundEvent, toSession id: SessionID) async -> EventDelivery {
        guard let session = session(withID: id), session.send(event, recordingIn: configuration.journal).reached else { return .sessionGone }
        guard let journal = configuration.journal else { return .kept }
        return await journal.committed() ? .kept : .notDurable
    }

    /// The event is encoded once for all the user's sessions, and their connections are flushed with one
    /// hop per event loop.
    public nonisolated(nonsending) func push(toUser user: UserName, service: ServiceID, data: JSONValue, admitting admits: @Sendable (Principal) -> Bool) async
        -> UserPushReach
    {
        let event = EncodedEvent(OutboundEvent(service: service, pid: nil, data: data))
        let sessions = sessions(ofUser: user)
        var reached = 0
        var flushes: [ConnectionLink] = []
        for session in sessions {
            switch session.queue(event, admitting: admits, recordingIn: configuration.journal) {
            case .sent(let flush):
                reached += 1
                if let flush { flushes.append(flush) }
            case .heldWhileAway: reached += 1
            case .sessionEnded, nil: break
            }
        }
        ConnectionLink.scheduleFlushes(flushes)
        var reach = UserPushReach(sessions: sessions.count, reached: reached)
        if reached > 0, let journal = configuration.journal { reach.durable = await journal.committed() }
        return reach
    }
}
