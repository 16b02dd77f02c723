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
        return session.send(event) != .sessionEnded
    }

    public func push(toUser user: UserName, service: ServiceID, data: JSONValue) async -> Int {
        let event = OutboundEvent(service: service, pid: nil, data: data)
        return sessions(ofUser: user).reduce(0) { reached, session in
            reached + (session.send(event) == .sessionEnded ? 0 : 1)
        }
    }
}
