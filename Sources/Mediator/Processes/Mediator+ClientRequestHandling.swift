import WSECore

extension Mediator: ClientRequestHandling {
    /// Routes a browser's `request`. Returns once the call is admitted and started (or refused, which
    /// the session learns as an `error`); the answer arrives later through `SessionOutput`.
    public func handle(_ request: ClientRequest, from session: SessionContext) async {
        let owner = ProcessOwner.session(id: session.id, requestID: request.id)
        let started = await start(
            service: request.service, action: request.action, data: request.data, principal: session.principal, owner: owner)
        if case .failure(let error) = started {
            await sessions.send(.error(id: request.id, code: error.code, message: error.message), toSession: session.id)
        }
    }

    /// Cancels a process of this session; `unknown_process` when the pid is not a running process of it.
    public func cancel(pid: ProcessID, from session: SessionContext) async throws(ServiceError) {
        guard let record = processes[pid], !record.state.isEnded, record.sessionID == session.id else {
            throw ServiceError(.unknownProcess, "no running process \"\(pid)\" in this session")
        }
        await terminate(pid, ownerGone: false)
    }

    /// Cancels every process of the session without writing to it.
    public func sessionEnded(_ sessionID: SessionID) async {
        for pid in processesBySession.removeValue(forKey: sessionID) ?? [] {
            await terminate(pid, ownerGone: true)
        }
    }
}
