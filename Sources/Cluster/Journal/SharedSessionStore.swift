import WSECore

/// The shared session store (`sessions.store: shared`): every event given to a session is committed to
/// `session_event` before the push that made it is answered (group commits across concurrent pushes), and a
/// session unknown to this node can be taken over from the node that held it, with every event its client missed.
struct SharedSessionStore: SessionJournal {
    let node: ClusterNode

    func record(session: SessionID, seq: UInt64, text: String) {
        node.journalWriter.enqueue(.event(session: session, seq: seq, text: text))
    }

    func hold(session: SessionID, afterSeq: UInt64, rank: Int, text: String) {
        node.journalWriter.enqueue(.held(session: session, HeldMessage(afterSeq: afterSeq, rank: rank, text: text)))
    }

    func replayed(session: SessionID) {
        node.journalWriter.enqueue(.replayed(session: session))
    }

    /// The session's directory row first (it is what a resume elsewhere looks for), then its events.
    func committed() async -> Bool {
        let directory = await node.directoryWriter.committed()
        return await node.journalWriter.committed() && directory
    }

    func acknowledge(session: SessionID, through seq: UInt64) {
        node.journalWriter.enqueue(.acknowledged(session: session, through: seq))
    }

    /// Asks the node that holds the session to let it go (one known dead is not asked), then moves it here: the
    /// highest `seq` it gave out (or the client's `lastSeq`, if higher: an event the client saw may not have been
    /// committed), its events after `lastSeq`, then the user pushes recorded for it while its node was dead
    /// (numbered after those), and the messages held for its away client. Its processes move once
    /// ``tookOver(_:)`` says it is held here.
    func takeOver(session: SessionID, user: UserName, after lastSeq: UInt64) async -> MovedSession? {
        do {
            guard let entry = try await node.directory.session(session), entry.user == user else { return nil }
            var current = entry
            // Its own id: this node was restarted (a configured `node.id`) and lost the session from memory.
            if entry.node != node.id, await node.canAnswer(entry.node, alive: entry.nodeAlive) {
                let reply = await node.ask(entry.node, .letGo(session: session))
                if reply == nil {
                    node.logger.warning("cluster: the node holding a session did not let it go in time; taking it over", metadata: [
                        "wse.session": "\(session)", "wse.node": "\(entry.node)",
                    ])
                }
                // Read again after the old node let go: it committed its last events before answering.
                guard let released = try await node.directory.session(session) else { return nil }
                current = released
            }
            var events = try await node.directory.events(of: session, after: lastSeq)
            let held = try await node.directory.heldMessages(of: session)
            node.arriving.begin(session)  // its processes' rows name this node from the move on: adopted in moveArrivals
            // User pushes recorded while its node was dead follow the events it committed (docs/CLUSTER.md).
            let (processes, pending) = try await node.directory.move(session, after: max(current.lastSeq, lastSeq, events.last?.seq ?? 0))
            node.movedProcesses.withLock { $0[session] = processes }
            events += pending
            let highest = max(current.lastSeq, lastSeq, events.last?.seq ?? 0)
            node.logger.info("cluster: session taken over", metadata: [
                "wse.session": "\(session)", "wse.from": "\(entry.node)", "wse.events": "\(events.count)", "wse.held": "\(held.count)",
                "wse.processes": "\(processes.count)", "wse.pending": "\(pending.count)",
            ])
            return MovedSession(lastSeq: highest, events: events, held: held)
        } catch {
            node.arriving.end(session)
            node.logger.error("cluster: cannot take a session over", metadata: ["wse.session": "\(session)", "wse.error": "\(String(reflecting: error))"])
            return nil
        }
    }

    func tookOver(_ session: SessionContext) {
        node.sessionOpened(session)
        node.arrivals.continuation.yield(session)
    }
}
