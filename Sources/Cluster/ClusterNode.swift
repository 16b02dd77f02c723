import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import WSECore

/// This node's part in a cluster of nodes sharing one PostgreSQL (docs/CLUSTER.md): it registers the node and
/// beats its heartbeat, listens on the node's bus channel, writes the session and process directories (and,
/// with the shared session store, the events) in batches, and sweeps what dead nodes left.
///
/// It implements the ports the components are given in cluster mode (`SessionDirectory`, `ProcessDirectory`,
/// and `SessionJournal` through ``journal``); ``inbound(wrapping:)`` decorates the mediator's connector IN
/// side so that pushes reach processes and sessions on other nodes. What this node does for the others (a
/// push for one of its processes, letting a session go) goes to the ``Local`` it is bound to.
///
/// A `Service`: it works while ``run()`` runs. ``halt()`` makes it fall silent at once, as a killed node would.
public final class ClusterNode: Sendable {
    public let configuration: ClusterConfiguration
    public var id: String { configuration.nodeID }
    let client: PostgresClient
    let directory: ClusterDirectory
    let bus: NodeBus
    let directoryWriter: GroupCommitter<DirectoryChange>
    let journalWriter: GroupCommitter<JournalEntry>
    let logger: Logger
    private let local = LocalBinding()
    private let state = Mutex(RunState())
    /// The URL listed for this node: the configured one, until ``serving(at:)`` names the bound one.
    private let listedURL: Mutex<String>
    /// Sessions taken over, waiting for their processes to move (``SessionJournal/tookOver(_:)``).
    let arrivals = AsyncStream.makeStream(of: SessionContext.self)
    let movedProcesses = Mutex<[SessionID: [DirectoryProcess]]>([:])
    let arriving: ArrivingSessions
    let unroutable: Unroutable

    /// What this node does for the others, bound by the node's wiring once its components exist.
    public struct Local: Sendable {
        /// The node's own connector IN side (the mediator), for pushes the other nodes route here.
        public var inbound: (any ConnectorInbound)?
        /// Drops a session that another node takes over, without ending its processes.
        public var letGo: (@Sendable (SessionID) async -> Void)?
        /// Takes over the processes of a session that moved here (the mediator's adoption).
        public var adopt: (@Sendable (SessionContext, [DirectoryProcess]) async -> Void)?
        /// Sessions held now, reported with each heartbeat.
        public var sessionCount: (@Sendable () -> Int)?

        public init() {}
    }

    /// The ``Local`` bound now, shared with the bus's request handler.
    final class LocalBinding: Sendable {
        let current = Mutex(Local())
    }

    private struct RunState {
        var ready = false
        var readyWaiters: [CheckedContinuation<Void, Never>] = []
        var halt: (@Sendable () -> Void)?
        var halted = false
    }

    public init(configuration: ClusterConfiguration, logger: Logger) {
        self.configuration = configuration
        self.listedURL = Mutex(configuration.url)
        var clientConfiguration = PostgresClient.Configuration(
            host: configuration.database.host, port: configuration.database.port, username: configuration.database.username,
            password: configuration.database.password, database: configuration.database.database, tls: .disable)
        clientConfiguration.options.maximumConnections = 10
        var backgroundLogger = logger
        backgroundLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: backgroundLogger)
        let directory = ClusterDirectory(node: configuration.nodeID, client: client, logger: logger)
        self.client = client
        self.directory = directory
        self.logger = logger
        let local = self.local
        let arriving = ArrivingSessions()
        let unroutable = Unroutable(node: configuration.nodeID, sharedSessions: configuration.sharedSessions, arriving: arriving, directory: directory)
        self.arriving = arriving
        self.unroutable = unroutable
        self.bus = NodeBus(node: configuration.nodeID, client: client, logger: logger) { request in
            await Self.serve(request, local: local.current.withLock { $0 }, unroutable: unroutable)
        }
        self.directoryWriter = GroupCommitter(write: { try await directory.apply($0) }) { error, count in
            logger.error("cluster: directory changes lost", metadata: ["wse.count": "\(count)", "wse.error": "\(String(reflecting: error))"])
        }
        self.journalWriter = GroupCommitter(write: { try await directory.apply($0) }) { error, count in
            logger.error("cluster: session events not stored", metadata: ["wse.count": "\(count)", "wse.error": "\(String(reflecting: error))"])
        }
    }

    /// Binds what this node does for the others.
    public func bind(_ local: Local) {
        self.local.current.withLock { $0 = local }
    }

    /// The shared session store, when `sessions.store` is `shared`; nil for `memory`.
    public var journal: (any SessionJournal)? {
        configuration.sharedSessions ? SharedSessionStore(node: self) : nil
    }

    /// Every node of the cluster, alive or not (the admin API's `GET /admin/v1/nodes`).
    public func nodes() async throws -> [NodeStatus] {
        try await directory.nodes()
    }

    /// Returns once the node is registered and listening on its channel (or halted).
    public func ready() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                guard !state.ready, !state.halted else { return true }
                state.readyWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Asks `node` over the bus, waiting `configuration.requestTimeout` at most; nil when no answer came.
    func ask(_ node: String, _ request: BusRequest) async -> BusReply? {
        await bus.request(request, to: node, timeout: configuration.requestTimeout, clock: configuration.clock)
    }

    /// Falls silent at once, as a killed node would: no heartbeat, no answers, nothing written any more.
    public func halt() {
        let halt = state.withLock { state in
            state.halted = true
            return state.halt
        }
        directoryWriter.halt()
        journalWriter.halt()
        halt?()
        markReady()
    }

    /// The node serves at `url` (known once its listener is bound, e.g. on port 0); the next heartbeat lists it.
    public func serving(at url: String) {
        listedURL.withLock { $0 = url }
    }

    var url: String { listedURL.withLock { $0 } }

    /// What this node does for the others, as bound now.
    var bound: Local { local.current.withLock { $0 } }

    var sessionCount: Int { bound.sessionCount?() ?? 0 }

    /// Records how ``halt()`` stops the running node. - Returns: false when it was halted already.
    func setHalt(_ halt: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard !state.halted else { return false }
            state.halt = halt
            return true
        }
    }

    /// The bus listener is in place (the node registered before it started listening).
    func markListening() { markReady() }

    private func markReady() {
        let waiters = state.withLock { state in
            state.ready = true
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// A request from another node, served by this node's own components.
    private static func serve(_ request: BusRequest, local: Local, unroutable: Unroutable) async -> BusReply {
        switch request {
        case .processData(let pid, let data, let final, let services):
            guard let inbound = local.inbound else { return .notFound("node not ready") }
            let connector = ConnectorIdentity(services: Set(services))
            let outcome = await inbound.processData(pid: pid, data: data, final: final, from: connector)
            // Sent here because the process directory named this node: one not known here may be arriving or moved on.
            guard case .notFound = outcome else { return BusReply(outcome) }
            return BusReply(await unroutable.answer(pid, otherwise: outcome) {
                await inbound.processData(pid: pid, data: data, final: final, from: connector)
            })
        case .userPush(let user, let service, let data, let services):
            guard let inbound = local.inbound else { return .notFound("node not ready") }
            return BusReply(await inbound.userPush(user: user, service: service, data: data, from: ConnectorIdentity(services: Set(services))))
        case .letGo(let session):
            await local.letGo?(session)
            return .released
        case .ping:
            return .pong
        }
    }
}
