import WSECore

extension ConnectionManager: SessionOutput {
    @discardableResult
    public func send(_ message: ServerMessage, toSession id: SessionID) async -> Bool {
        guard let session = session(withID: id) else { return false }
        return session.send(message) != .sessionEnded
    }

    @discardableResult
    public func send(_ event: OutboundEvent, toSession id: SessionID) async -> Bool {
        guard let session = session(withID: id) else { return false }
        guard session.send(event, recordingIn: configuration.journal) != .sessionEnded else { return false }
        await configuration.journal?.committed()
        return true
    }

    public func push(toUser user: UserName, service: ServiceID, data: JSONValue, admitting admits: @Sendable (Principal) -> Bool) async
        -> UserPushReach
    {
        let event = OutboundEvent(service: service, pid: nil, data: data)
        let sessions = sessions(ofUser: user)
        let reached = sessions.reduce(0) { reached, session in
            guard admits(session.context.principal) else { return reached }
            return reached + (session.send(event, recordingIn: configuration.journal) == .sessionEnded ? 0 : 1)
        }
        if reached > 0 { await configuration.journal?.committed() }
        return UserPushReach(sessions: sessions.count, reached: reached)
    }
}
