import Foundation
import Logging
import WSECore

/// Routes every call to the service that serves it and every answer back to its owner (SPEC.md, Mediator).
///
/// One process table serves the three ports it implements: `ClientRequestHandling` (browser sessions),
/// `ServiceInvoking` (compositions calling services as Orc sites) and `ConnectorInbound` (connector IN).
/// Each call gets a process id; basic services go to connector OUT (`ConnectorClient`), composed
/// services to the orchestrator (`CompositionRunning`). Routing, errors and metrics: docs/MEDIATOR.md.
///
/// Its work is owned: each call's task by its process row, each connector cancel by `connectorCancels`;
/// ``shutdown()`` cancels every process and returns once all of that work has finished.
public actor Mediator {
    public let registry: ServiceRegistry
    let connectors: any ConnectorClient
    let sessions: any SessionOutput
    /// The orchestrator, held weakly: it holds this mediator (its `ServiceInvoking`); the node owns both.
    weak var compositions: (any CompositionRunning)?
    let configuration: MediatorConfiguration
    let logger: Logger
    var processes: [ProcessID: ProcessRecord] = [:]
    var processesBySession: [SessionID: Set<ProcessID>] = [:]
    /// The rows of each user, so that a user push looks at that user's processes only.
    var processesByUser: [UserName: Set<ProcessID>] = [:]
    /// Composition runs in flight per user (`MediatorQuotas.compositionsPerUser`).
    var compositionsByUser: [UserName: Int] = [:]
    /// Connector OUT cancels on their way (best effort, not awaited by the caller; awaited by `shutdown`).
    var connectorCancels: [ProcessID: Task<Void, Never>] = [:]
    /// Set by `shutdown`: calls are refused from then on.
    var shuttingDown = false
    /// Processes whose last event reached the session but was not committed to the shared session store; the
    /// push that queued it is answered `unavailable` (see `processData`).
    var notDurable: Set<ProcessID> = []

    public init(
        registry: ServiceRegistry, connectors: any ConnectorClient, sessions: any SessionOutput,
        compositions: (any CompositionRunning)? = nil, configuration: MediatorConfiguration,
        logger: Logger = Logger(label: "wse.mediator")
    ) {
        self.registry = registry
        self.connectors = connectors
        self.sessions = sessions
        self.compositions = compositions
        self.configuration = configuration
        self.logger = logger
    }

    /// Connects the orchestrator, which itself needs the mediator (as `ServiceInvoking`) to be built first.
    public func attach(compositions: any CompositionRunning) {
        self.compositions = compositions
    }

    /// Processes admitted and not yet ended.
    public var runningProcessCount: Int {
        processes.values.count { !$0.state.isEnded }
    }

    /// Admits a call, enters it in the process table and starts it without waiting for its answer.
    func start(
        service: ServiceID, action: String, data: JSONValue, principal: Principal, owner: ProcessOwner
    ) async -> Result<ProcessID, ServiceError> {
        let admission: Admission
        switch await registry.admit(service, for: principal) {
        case .success(let admitted): admission = admitted
        case .failure(let error):
            configuration.usage?.record(ProcessUsage.refusal(of: service, provider: nil, action: action, principal: principal, code: error.code, at: Date()))
            return .failure(error)
        }
        let definition = admission.definition
        if let refusal = refusal(of: definition, requested: service, for: principal.user, owner: owner) {
            await registry.release(definition.id, outcome: .none, wasTrial: admission.isTrial)
            admission.counters.recordError(refusal.code)
            configuration.usage?.record(
                ProcessUsage.refusal(of: service, provider: definition.provider, action: action, principal: principal, code: refusal.code, at: Date()))
            return .failure(refusal)
        }
        let pid = ProcessID.random()
        var sessionID: SessionID?
        if case .session(let id, _) = owner {
            sessionID = id
            processesBySession[id, default: []].insert(pid)
        }
        if definition.kind == .composed { compositionsByUser[principal.user, default: 0] += 1 }
        var record = ProcessRecord(
            pid: pid, owner: owner, user: principal.user, requestedService: service, serving: definition, counters: admission.counters,
            sessionID: sessionID, isTrial: admission.isTrial, admittedAt: configuration.now())
        if configuration.usage != nil { record.usage = ProcessUsage(action: action, retailer: principal.retailer, start: Date()) }
        logger.debug("process started", metadata: ["pid": "\(pid)", "service": "\(service)", "serving": "\(definition.id)", "user": "\(principal.user)"])
        // One task per call, so that `handle` returns at admission; owned by the row (cancelled with the
        // process, awaited by `shutdown`), which costs no more than the task itself.
        // Cluster mode: the process is in the shared directory before its connector can push for it.
        let entry = configuration.processDirectory.map { directory in
            (directory, DirectoryProcess(
                pid: pid, session: sessionID, user: principal.user, requestedService: service, servingService: definition.id,
                composed: definition.kind == .composed))
        }
        switch definition.kind {
        case .basic:
            let call = ConnectorCall(
                pid: pid, service: definition.id, action: action, user: principal.user, data: data,
                callback: configuration.callbackURL)
            record.task = Task {
                if let (directory, process) = entry { await directory.processStarted(process) }
                await self.callConnector(call, definition: definition)
            }
        case .composed:
            record.task = Task {
                if let (directory, process) = entry, process.session != nil { await directory.processStarted(process) }
                await self.runComposition(pid: pid, definition: definition, action: action, data: data, principal: principal)
            }
        }
        processes[pid] = record
        processesByUser[principal.user, default: []].insert(pid)
        return .success(pid)
    }

    /// Why an admitted call cannot start: the node is shutting down, the orchestrator is missing, or a quota is reached.
    private func refusal(of definition: ServiceDefinition, requested service: ServiceID, for user: UserName, owner: ProcessOwner) -> ServiceError? {
        if shuttingDown { return ServiceError(.unavailable, "the node is shutting down") }
        let quotas = configuration.quotas
        if case .session(let id, _) = owner, (processesBySession[id]?.count ?? 0) >= quotas.processesPerSession {
            return ServiceError(.overloaded, "this session already runs \(quotas.processesPerSession) processes (limit processesPerSession)")
        }
        guard definition.kind == .composed else { return nil }
        if compositions == nil {
            return ServiceError(.unavailable, "composed service \"\(service)\" needs the orchestrator, which is not running")
        }
        if compositionsByUser[user, default: 0] >= quotas.compositionsPerUser {
            return ServiceError(.overloaded, "user \"\(user)\" already runs \(quotas.compositionsPerUser) compositions (limit compositionsPerUser)")
        }
        return nil
    }
}
