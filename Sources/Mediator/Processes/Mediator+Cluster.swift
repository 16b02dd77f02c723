import WSECore

extension Mediator {
    /// Cluster mode: a session this node held has moved to another node, which takes its processes over.
    /// Its basic services' processes leave the table without their connector being told (they live on, for the
    /// other node); its compositions cannot move, so they are cancelled here.
    public func letGo(ofSession id: SessionID) async {
        for pid in processesBySession.removeValue(forKey: id) ?? [] {
            guard let record = processes[pid] else { continue }
            if record.serving.kind == .composed {
                await terminate(pid, ownerGone: true)
                continue
            }
            processes[pid] = nil
            processesByUser[record.user]?.remove(pid)
            if processesByUser[record.user]?.isEmpty == true { processesByUser[record.user] = nil }
            if !record.state.isEnded { await registry.release(record.serving.id, outcome: .none, wasTrial: record.isTrial) }
        }
    }

    /// Cluster mode: a session that ran on another node is held here now. Its basic services' processes join
    /// the table as running (later connector IN pushes reach the client here); a composition ran on the node it
    /// was started on and is lost: the client gets `error` `node_lost`, then `end` with reason `error`.
    public func adopt(session: SessionContext, processes moved: [DirectoryProcess]) async {
        for process in moved {
            if process.composed {
                await sessions.send(
                    .error(id: nil, code: .nodeLost, message: "process \(process.pid) of \"\(process.requestedService)\" ran on a node that is gone; start it again"),
                    toSession: session.id)
                await sessions.send(.end(pid: process.pid, reason: .error), toSession: session.id)
                continue
            }
            guard processes[process.pid] == nil, let (definition, counters) = await registry.adoptInFlight(process.servingService) else {
                logger.warning("a moved process was not taken over", metadata: ["pid": "\(process.pid)", "service": "\(process.servingService)"])
                continue
            }
            var record = ProcessRecord(
                pid: process.pid, owner: .session(id: session.id, requestID: ""), user: session.principal.user,
                requestedService: process.requestedService, serving: definition, counters: counters, sessionID: session.id,
                isTrial: false, admittedAt: configuration.now())
            record.state = .running
            processes[process.pid] = record
            processesBySession[session.id, default: []].insert(process.pid)
            processesByUser[session.principal.user, default: []].insert(process.pid)
        }
    }
}
