import Logging
import Orc
import WSECore

/// The orchestration engine (the paper's OE): runs the composed services stored in the CSDR.
///
/// The mediator calls it through `CompositionRunning` for services of kind `composed`. Each start
/// runs the newest version of the composition with the request bound to `request`, `action` and
/// `user`; every publication is emitted to the process sink and the process finishes when the
/// program halts. The program calls WSE services through `ServiceInvoking` (the `Service` and
/// `Subscribe` sites). Behaviour, errors and limits: docs/ORCHESTRATOR.md.
public actor Orchestrator: CompositionRunning {
    private let store: any CompositionStore
    private let services: any ServiceInvoking
    private let configuration: OrchestratorConfiguration
    private let compiler: CompositionCompiler
    private let cache: ProgramCache
    private let metrics: OrchestratorMetrics
    private let logger: Logger
    private var runs: [ProcessID: CompositionRun] = [:]
    /// The newest version of each composition read so far: what starts while the store is unavailable.
    private var lastRead: [String: CompositionVersion] = [:]

    /// - Parameters:
    ///   - store: the CSDR's storage (the same the `CompositionController` writes).
    ///   - services: the mediator, which admits and routes the services compositions call.
    public init(store: any CompositionStore, services: any ServiceInvoking, configuration: OrchestratorConfiguration = .init(),
                logger: Logger = Logger(label: "wse.orchestrator")) {
        self.store = store
        self.services = services
        self.configuration = configuration
        self.compiler = CompositionCompiler(includePaths: configuration.includePaths)
        self.cache = ProgramCache(capacity: configuration.cachedPrograms)
        self.metrics = OrchestratorMetrics(factory: configuration.metricsFactory)
        self.logger = logger
    }

    /// Starts the newest version of `composition`; returns once it runs. The sink first gets
    /// `respond({"composition","version"})`, then an `emit` per publication, then `finish`.
    /// - Throws: `unavailable` when the composition is not in the CSDR, does not parse, or the store fails.
    public func start(composition id: String, pid: ProcessID, action: String, data: JSONValue, for principal: Principal,
                      sink: any ProcessSink) async throws(ServiceError) {
        guard runs[pid] == nil else { throw ServiceError(.badRequest, "process \(pid) is already running") }
        let stored = try await newestVersion(of: id)
        let program = try await program(for: stored)
        // Answered before the run starts, so that it comes before every publication, and before
        // `start` returns, so that the mediator does not answer `{}` in its place.
        await sink.respond(["composition": .string(id), "version": .number(Double(stored.version))])
        // The mediator cancels the starting task before it calls `cancel(pid:)`: nothing to run then.
        guard !Task.isCancelled else { throw ServiceError(.unavailable, "composition \"\(id)\" was cancelled while starting") }
        guard runs[pid] == nil else { throw ServiceError(.badRequest, "process \(pid) is already running") }
        var runLogger = logger
        runLogger[metadataKey: "pid"] = "\(pid)"
        runLogger[metadataKey: "composition"] = "\(id)@\(stored.version)"
        let context = CompositionRun.Context(composition: stored, action: action, data: data, principal: principal, sink: sink)
        let run = CompositionRun(program: program, context: context, services: services, configuration: configuration,
                                 metrics: metrics, logger: runLogger) { [weak self] in await self?.remove(pid) }
        // No suspension between creating and recording the run, so `remove` (on this actor) comes after.
        runs[pid] = run
        metrics.runningCompositions(runs.count)
        runLogger.debug("composition started", metadata: ["user": "\(principal.user)", "action": "\(action)"])
    }

    /// Kills a running composition and cancels the service processes it started; returns once the
    /// sink got `finish(.cancelled)`. Unknown pids are ignored.
    public func cancel(pid: ProcessID) async {
        guard let run = runs[pid] else { return }
        run.stop(.cancelled)
        _ = await run.ended()
    }

    /// Cancels every running composition (graceful shutdown).
    public func cancelAll() async {
        for pid in Array(runs.keys) { await cancel(pid: pid) }
    }

    /// How many compositions are running.
    public var runningCount: Int { runs.count }

    /// Reads `id` again because the store reported a change to it (made through any node), so that the
    /// version kept for store outages is the newest. A composition never read here is left to its first start.
    public func compositionChanged(_ id: String) async {
        guard lastRead[id] != nil else { return }
        do {
            lastRead[id] = try await store.composition(id: id, version: nil)
        } catch {
            logger.warning("could not read a changed composition", metadata: ["composition": "\(id)", "error": "\(error)"])
        }
    }

    /// Reads every composition read before again (changes may have been missed).
    public func refreshCompositions() async {
        for id in Array(lastRead.keys) { await compositionChanged(id) }
    }

    private func remove(_ pid: ProcessID) {
        runs[pid] = nil
        metrics.runningCompositions(runs.count)
    }

    private func newestVersion(of id: String) async throws(ServiceError) -> CompositionVersion {
        let stored: CompositionVersion?
        do {
            stored = try await store.composition(id: id, version: nil)
        } catch {
            if let known = lastRead[id] {
                logger.warning(
                    "composition store failed; starting the version read last", metadata: ["composition": "\(id)@\(known.version)", "error": "\(error)"])
                return known
            }
            logger.error("composition store failed", metadata: ["composition": "\(id)", "error": "\(error)"])
            throw ServiceError(.unavailable, "the composition store is unavailable: \(error)")
        }
        lastRead[id] = stored
        guard let stored else {
            throw ServiceError(.unavailable, "composition \"\(id)\" is not defined (store it with PUT /orchestrator/v1/compositions/\(id))")
        }
        return stored
    }

    private func program(for stored: CompositionVersion) async throws(ServiceError) -> OrcProgram {
        let compiler = compiler
        do {
            return try await cache.program(id: stored.id, version: stored.version, source: stored.source) { () throws(OrcParseError) in
                try compiler.compile(id: stored.id, source: stored.source)
            }
        } catch {
            logger.error("stored composition does not parse", metadata: ["composition": "\(stored.id)", "error": "\(error)"])
            throw ServiceError(.unavailable, "composition \"\(stored.id)\" version \(stored.version) does not parse: \(error)")
        }
    }
}
