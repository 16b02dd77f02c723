import Logging
import Metrics
import NIOCore
import NIOWebSocket
import Synchronization
import WSECore

/// The connection manager: the browsers' WebSocket endpoint (`/wse`) and the sessions behind it.
///
/// It authenticates each connection's `hello` through `TokenVerifying`, checks the page's Origin
/// against the retailers' allow-lists, keeps sessions (heartbeats, limits, resume buffers), hands
/// client messages to `ClientRequestHandling`, and implements `SessionOutput` for the mediator.
///
/// Install it into a Hummingbird `Application` with ``httpServer(http1:)`` (all other paths stay with
/// the application's router); run it as a `Service` beside the application so that a graceful shutdown
/// closes every session with 1001. See docs/CONNECTION-MANAGER.md.
public final class ConnectionManager: Sendable {
    let configuration: ConnectionManagerConfiguration
    let tokens: any TokenVerifying
    let logger: Logger
    let metrics: ConnectionManagerMetrics
    /// Replaced whole by ``updateRetailers(_:)``; read once per upgrade request and once per session.
    private let originPolicyState: Mutex<OriginPolicy>
    let limits: SessionLimits
    let connectionsPerAddress: ConnectionsPerAddress
    /// The mediator, held weakly (see ``connect(to:)``).
    private let requestHandler = Mutex(WeakRequestHandler())
    private let registry = Mutex(Registry())
    /// The request and cancel tasks on their way to the mediator, awaited by ``shutdown()``.
    let requestTasks = InFlightTasks()
    /// Ended sessions, handed to `ClientRequestHandling.sessionEnded` by ``run()``.
    let endedSessions = AsyncStream.makeStream(of: EndedSession.self)

    /// A session that ended, and the handler to tell.
    struct EndedSession: Sendable {
        let id: SessionID
        let handler: any ClientRequestHandling
    }

    private struct Registry {
        var sessions: [SessionID: Session] = [:]
        var sessionsByUser: [UserName: [Session]] = [:]
        var connections: [ObjectIdentifier: ConnectionLink] = [:]
        var shuttingDown = false
        /// Shutdown waiting for the last connection to close.
        var waitingForNoConnections: [CheckedContinuation<Void, Never>] = []

        mutating func remove(_ session: Session) {
            guard sessions.removeValue(forKey: session.id) != nil else { return }
            sessionsByUser[session.user]?.removeAll { $0 === session }
            if sessionsByUser[session.user]?.isEmpty == true { sessionsByUser[session.user] = nil }
        }
    }

    /// Metrics go to `configuration.metricsFactory` (by default the process-wide `MetricsSystem`).
    public init(configuration: ConnectionManagerConfiguration = .init(), tokens: any TokenVerifying, logger: Logger) {
        self.configuration = configuration
        self.metrics = ConnectionManagerMetrics(factory: configuration.metricsFactory ?? MetricsSystem.factory)
        self.tokens = tokens
        self.logger = logger
        self.originPolicyState = Mutex(OriginPolicy(retailers: configuration.retailers, allowMissingOrigin: configuration.allowMissingOrigin))
        self.limits = SessionLimits(configuration)
        self.connectionsPerAddress = ConnectionsPerAddress(limit: configuration.maxConnectionsPerAddress)
    }

    /// Sets where client messages go (the mediator). Until then requests are answered with `unavailable`.
    /// Separate from `init` because the mediator itself needs this manager as its `SessionOutput`; held
    /// weakly for the same reason, so that the two do not keep each other alive: the caller owns `handler`.
    public func connect(to handler: any ClientRequestHandling) {
        requestHandler.withLock { $0.handler = handler }
    }

    struct WeakRequestHandler: Sendable {
        weak var handler: (any ClientRequestHandling)?
    }

    /// Which origins may connect and which retailer a session acts for, as now in force.
    var originPolicy: OriginPolicy { originPolicyState.withLock { $0 } }

    /// Puts `retailers` in force for the next upgrade requests and logins (the retailers on board changed);
    /// sessions already open keep the retailer they were opened with.
    public func updateRetailers(_ retailers: [ConnectionManagerConfiguration.Retailer]) {
        let policy = OriginPolicy(retailers: retailers, allowMissingOrigin: configuration.allowMissingOrigin)
        originPolicyState.withLock { $0 = policy }
    }

    /// Sessions that exist now, attached or inside their resume window.
    public var sessionCount: Int { registry.withLock { $0.sessions.count } }

    /// Open WebSocket connections to `/wse`, with or without a session yet.
    public var connectionCount: Int { registry.withLock { $0.connections.count } }

    // MARK: Connections (called on the connection's event loop)

    /// - Returns: false when the node is shutting down and the connection must be refused.
    func connectionOpened(_ link: ConnectionLink) -> Bool {
        let count: Int? = registry.withLock { registry in
            guard !registry.shuttingDown else { return nil }
            registry.connections[link.id] = link
            return registry.connections.count
        }
        guard let count else { return false }
        metrics.connections.record(count)
        return true
    }

    func connectionClosed(_ link: ConnectionLink) {
        let (count, waiting) = registry.withLock { registry -> (Int, [CheckedContinuation<Void, Never>]) in
            registry.connections[link.id] = nil
            guard registry.connections.isEmpty else { return (registry.connections.count, []) }
            defer { registry.waitingForNoConnections = [] }
            return (0, registry.waitingForNoConnections)
        }
        metrics.connections.record(count)
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once no connection is open (signalled by the last one to close).
    func noConnections() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let none = registry.withLock { registry in
                guard !registry.connections.isEmpty else { return true }
                registry.waitingForNoConnections.append(continuation)
                return false
            }
            if none { continuation.resume() }
        }
    }

    func session(withID id: SessionID) -> Session? {
        registry.withLock { $0.sessions[id] }
    }

    func sessions(ofUser user: UserName) -> [Session] {
        registry.withLock { $0.sessionsByUser[user] ?? [] }
    }

    /// Refuses new connections from now on. - Returns: every open connection and every session.
    func beginShutdown() -> (links: [ConnectionLink], sessions: [Session]) {
        registry.withLock { registry in
            registry.shuttingDown = true
            return (Array(registry.connections.values), Array(registry.sessions.values))
        }
    }

    /// Resumes the session named by `resume` when it belongs to the same user and still holds every event
    /// after `lastSeq`; otherwise opens a fresh one. Writes `welcome` (and the replay) to `link`.
    /// - Returns: the session, and the connection it was attached to before (when resumed), to be closed; nil when
    ///   a fresh session is refused because the user holds `maxSessionsPerUser`, none waiting for a resume.
    func openSession(for principal: Principal, resume: ClientMessage.ResumePoint?, on link: ConnectionLink)
        -> (Session, replaced: ConnectionLink?)?
    {
        let heartbeat = Int(configuration.heartbeatInterval.components.seconds)
        if let resume, let old = session(withID: resume.session), old.user == principal.user {
            let (attached, replaced) = old.attach(
                link, principal: principal, resumingAfter: resume.lastSeq, heartbeat: heartbeat, recordingIn: configuration.journal)
            if attached {
                metrics.resumes.increment()
                logger.info("session resumed", metadata: ["wse.session": "\(old.id)", "wse.user": "\(principal.user)",
                                                          "wse.last_seq": "\(resume.lastSeq)"])
                return (old, replaced)
            }
            // The events the client missed are gone: a resume would lose data, so the old session ends
            // (and a connection still attached to it is closed: its session no longer exists).
            end(old, closing: (.normalClosure, "session ended: a resume could not continue it without loss"))
        }
        let session = Session(
            id: SessionID.random(), principal: principal, resumeBufferEvents: configuration.resumeBufferEvents,
            resumeBufferBytes: configuration.resumeBufferBytes)
        guard let (count, displaced) = register(session) else {
            logger.info("session refused: too many sessions", metadata: ["wse.user": "\(principal.user)"])
            return nil
        }
        if let displaced {
            end(displaced, closing: (WebSocketErrorCode(CloseCode.tooManySessions), "ended to make room for a newer session"))
        }
        metrics.sessions.record(count)
        let directory = configuration.sessionDirectory
        directory?.sessionOpened(session.context)
        _ = session.attach(link, principal: principal, resumingAfter: nil, heartbeat: heartbeat, flush: directory == nil)
        if let directory {
            // Cluster: `welcome` leaves once the directory has the session, so that a user push sent through any
            // node after it reaches the session. What comes meanwhile is queued behind `welcome`.
            Task {
                await directory.written()
                link.scheduleFlush()
            }
        }
        logger.info("session opened", metadata: [
            "wse.session": "\(session.id)", "wse.user": "\(principal.user)", "wse.retailer": "\(principal.retailer ?? "-")",
            "wse.resume_refused": "\(resume != nil)",
        ])
        return (session, nil)
    }

    /// Enters a session in the registry.
    func add(_ session: Session) {
        let count = registry.withLock { registry in
            registry.sessions[session.id] = session
            registry.sessionsByUser[session.user, default: []].append(session)
            return registry.sessions.count
        }
        metrics.sessions.record(count)
    }

    /// Takes a session out of the registry without ending it for the mediator (it moved to another node).
    /// - Returns: the session, or nil when there was no such session.
    func remove(_ id: SessionID) -> Session? {
        let (session, count) = registry.withLock { registry in
            let session = registry.sessions[id]
            if let session { registry.remove(session) }
            return (session, registry.sessions.count)
        }
        metrics.sessions.record(count)
        return session
    }

    /// Adds `session` to the registry. A user at `maxSessionsPerUser` first loses the oldest of their sessions
    /// that wait for a resume (returned, to be ended: its client is the likeliest to be gone, e.g. a reloaded
    /// page); when every one is attached, `session` is refused (nil) rather than cutting off a live client.
    private func register(_ session: Session) -> (count: Int, displaced: Session?)? {
        registry.withLock { registry in
            var displaced: Session?
            if let limit = configuration.maxSessionsPerUser, let own = registry.sessionsByUser[session.user], own.count >= limit {
                guard let oldest = own.first(where: { !$0.isAttached }) else { return nil }
                registry.remove(oldest)
                displaced = oldest
            }
            registry.sessions[session.id] = session
            registry.sessionsByUser[session.user, default: []].append(session)
            return (registry.sessions.count, displaced)
        }
    }

    /// The connection of `session` is closing: end the session, or keep it for `resumeWindow`. Nothing happens
    /// when another connection has taken the session over (the old client's close must not end it).
    func release(_ session: Session, from link: ConnectionLink, ending: Bool, eventLoop: any EventLoop) {
        if ending {
            if session.end(attachedTo: link) { sessionGone(session, reason: "closed") }
            return
        }
        guard let generation = session.detach(link) else { return }
        logger.debug("session detached", metadata: ["wse.session": "\(session.id)"])
        eventLoop.scheduleTask(in: TimeAmount(configuration.resumeWindow)) { [self] in
            if session.expire(generation: generation) { sessionGone(session, reason: "resume window passed") }
        }
    }

    /// Ends a session for good; closes its connection (if any) with `closing`.
    func end(_ session: Session, closing: (code: WebSocketErrorCode, reason: String)?) {
        let (link, endedNow) = session.end()
        if let link, let closing { link.close(closing.code, reason: closing.reason, endingSession: true) }
        if endedNow { sessionGone(session, reason: closing?.reason ?? "closed") }
    }

    func sessionGone(_ session: Session, reason: String) {
        let count = registry.withLock { registry in
            registry.remove(session)
            return registry.sessions.count
        }
        metrics.sessions.record(count)
        configuration.sessionDirectory?.sessionEnded(session.id)
        logger.info("session ended", metadata: ["wse.session": "\(session.id)", "wse.reason": "\(reason)"])
        guard let handler = requestHandler.withLock({ $0.handler }) else { return }
        endedSessions.continuation.yield(EndedSession(id: session.id, handler: handler))
    }

    // MARK: Client messages

    func handle(_ request: ClientRequest, from session: Session) {
        guard let handler = requestHandler.withLock({ $0.handler }) else {
            _ = session.send(.error(id: request.id, code: .unavailable, message: "the node is not ready to serve requests"))
            return
        }
        let context = session.context
        // One task per request, straight from the event loop (the hot path: no hop through an owning task);
        // it ends once the mediator has started the process or answered, bounded by the mediator's own timeouts.
        let tasks = requestTasks
        tasks.started()
        Task {
            await handler.handle(request, from: context)
            tasks.finished()
        }
    }

    func cancel(pid: ProcessID, from session: Session) {
        guard let handler = requestHandler.withLock({ $0.handler }) else {
            _ = session.send(.error(id: nil, code: .unknownProcess, message: "no process \(pid)"))
            return
        }
        let context = session.context
        let journal = configuration.journal
        // Like a request: one short task per `cancel`, ended once the mediator has terminated the process.
        let tasks = requestTasks
        tasks.started()
        Task {
            do throws(ServiceError) {
                try await handler.cancel(pid: pid, from: context)
            } catch {
                _ = session.send(.error(id: nil, code: error.code, message: error.message), recordingIn: journal)
            }
            tasks.finished()
        }
    }
}
