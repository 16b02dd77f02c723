import NIOCore
import WSECore

extension ConnectionManager {
    /// Before a resume is opened (shared session store only): a session this node does not hold is taken over
    /// from the node that held it. It is entered here as a session whose client is away, continuing its `seq`
    /// and holding every event after `lastSeq`, so that the ordinary resume that follows replays them.
    /// Nothing happens with the memory store, or when the session is here or unknown to the store.
    func takeOverIfElsewhere(_ resume: ClientMessage.ResumePoint, for principal: Principal, eventLoop: any EventLoop) async {
        guard let journal = configuration.journal, session(withID: resume.session) == nil,
            let moved = await journal.takeOver(session: resume.session, user: principal.user, after: resume.lastSeq)
        else { return }
        let session = Session(
            id: resume.session, principal: principal, resumeBufferEvents: configuration.resumeBufferEvents,
            resumeBufferBytes: configuration.resumeBufferBytes)
        session.restore(moved, after: resume.lastSeq)
        add(session)
        journal.tookOver(session.context)
        logger.info("session taken over from another node", metadata: [
            "wse.session": "\(session.id)", "wse.user": "\(principal.user)", "wse.replay": "\(moved.events.count)",
        ])
        // Like a detached session: it ends if no client attaches within the resume window.
        eventLoop.scheduleTask(in: TimeAmount(configuration.resumeWindow)) { [self] in
            if session.expire(generation: 0) { sessionGone(session, reason: "resume window passed") }
        }
    }

    /// Cluster mode: another node takes this session over. It leaves this node without ending (its processes
    /// live on, elsewhere): its connection, if any, is closed with 1000.
    /// - Returns: false when this node does not hold it.
    public func letGo(of id: SessionID) -> Bool {
        guard let session = remove(id) else { return false }
        let (link, _) = session.end()
        link?.close(.normalClosure, reason: "session moved to another node", endingSession: true)
        logger.info("session moved to another node", metadata: ["wse.session": "\(id)"])
        return true
    }
}
