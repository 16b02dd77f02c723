import Logging
import Orc
import Synchronization
import WSECore

/// One running composition (one process of a composed service): its Orc run, the service processes
/// its sites started, and the task that forwards its output to the process sink in order and ends it.
final class CompositionRun: Sendable {
    /// Why the orchestrator stopped a run that had not halted.
    enum StopCause: Sendable {
        case cancelled
        case timedOut(Duration)
        /// More publications and errors than this waited for the sink (a client slower than the program).
        case outputBacklog(Int)
    }

    /// What the run's events put in order for the sink.
    private enum Output: Sendable {
        case publication(JSONValue)
        case failure(ServiceError)
    }

    /// What the run is for: the stored version, the request and whose it is, where its output goes.
    struct Context: Sendable {
        var composition: CompositionVersion
        var action: String
        var data: JSONValue
        var principal: Principal
        var sink: any ProcessSink
    }

    private let stopSwitch: StopSwitch
    private let lifecycle: Task<EndReason, Never>

    /// Starts the program at once. `onEnd` is called when the run is over, before the sink's `finish`.
    init(program: OrcProgram, context: Context, services: any ServiceInvoking, configuration: OrchestratorConfiguration,
         metrics: OrchestratorMetrics, logger: Logger, onEnd: @escaping @Sendable () async -> Void) {
        let name = context.composition.id
        // Bounded: a program that publishes faster than the client reads is stopped, not buffered without end.
        let backlogLimit = configuration.maxPendingOutputs
        let (outputs, output) = AsyncStream.makeStream(of: Output.self, bufferingPolicy: .bufferingOldest(backlogLimit))
        let backlog = BacklogAlarm()
        let ledger = ServiceProcessLedger(services: services)
        let sites = ServiceSites(services: services, principal: context.principal, ledger: ledger, metrics: metrics,
                                 report: { if case .dropped = output.yield(.failure($0)) { backlog.ring(.outputBacklog(backlogLimit)) } })
        let events = OrcRunEvents(
            publish: { if case .dropped = output.yield(.publication(JSONValue(orc: $0))) { backlog.ring(.outputBacklog(backlogLimit)) } },
            print: { logger.info("composition printed", metadata: ["text": "\($0)"]) },
            error: { error in
                logger.notice("site call failed in composition", metadata: ["error": "\(error.line)"])
                if case .dropped = output.yield(.failure(ServiceError(reporting: error, composition: name))) {
                    backlog.ring(.outputBacklog(backlogLimit))
                }
            })
        let run = OrcRun(program: program, host: CompositionBindings.values(action: context.action, data: context.data,
                                                                           principal: context.principal, sites: sites),
                         limits: configuration.runLimits, events: events)
        let stopSwitch = StopSwitch(run: run)
        self.stopSwitch = stopSwitch
        backlog.connect(stopSwitch)
        let publications = metrics.publications(of: name)
        let clock = configuration.clock
        // The run's own task, owned by this object: `ended()` awaits it and `stop` ends it.
        lifecycle = Task {
            await withTaskGroup(of: Void.self) { group in
                if let limit = configuration.maxRunDuration {
                    group.addTask {
                        // Cancelled below when the run ends first.
                        guard (try? await clock.sleep(for: limit)) != nil else { return }
                        stopSwitch.stop(.timedOut(limit))
                    }
                }
                group.addTask {
                    _ = await run.outcome()
                    output.finish()
                }
                // The pump: forwards the run's output in order until `output.finish()`.
                for await item in outputs {
                    if case .cancelled = stopSwitch.cause { continue }
                    switch item {
                    case .publication(let data):
                        publications.increment()
                        await context.sink.emit(data)
                    case .failure(let error):
                        await context.sink.fail(error)
                    }
                }
                group.cancelAll()
            }
            let outcome = await run.outcome()
            await ledger.close()
            await onEnd()
            let (reason, error) = Self.ending(outcome, cause: stopSwitch.cause, composition: name)
            logger.debug("composition ended", metadata: ["outcome": "\(outcome)", "reason": "\(reason.rawValue)"])
            if let error {
                logger.notice("composition stopped", metadata: ["error": "\(error)"])
                await context.sink.fail(error)
            }
            await context.sink.finish(reason)
            metrics.runEnded(reason)
            return reason
        }
    }

    /// Stops the run (its pending site calls are killed and its service processes cancelled); the sink
    /// gets `finish(.cancelled)`, or `fail(timeout)` and `finish(.error)` for `.timedOut`.
    func stop(_ cause: StopCause) { stopSwitch.stop(cause) }

    /// Waits until the run has ended and the sink has been told.
    func ended() async -> EndReason { await lifecycle.value }

    /// The end reason of a run, and the error the client is told first when it did not end well.
    private static func ending(_ outcome: OrcRunOutcome, cause: StopCause?, composition: String) -> (EndReason, ServiceError?) {
        // Output was dropped, even if the run then halted before it could be killed.
        if case .outputBacklog(let limit) = cause {
            return (.error, ServiceError(.overloaded,
                                         "composition \"\(composition)\" was stopped: more than \(limit) publications waited for the client (maxPendingOutputs)"))
        }
        switch outcome {
        case .halted, .blockedForever:
            return (.done, nil)
        case .killed:
            switch cause {
            case .timedOut(let limit):
                return (.error, ServiceError(.timeout, "composition \"\(composition)\" ran longer than its limit of \(limit) and was stopped"))
            case .cancelled, .outputBacklog, nil:
                return (.cancelled, nil)
            }
        case .limitExceeded(let why):
            return (.error, ServiceError(.overloaded, "composition \"\(composition)\" was stopped: \(why)"))
        }
    }
}

/// Stops the run when its output overflows; the overflow may come before the run's `StopSwitch` exists.
private final class BacklogAlarm: Sendable {
    private let state = Mutex<(stopSwitch: StopSwitch?, pending: CompositionRun.StopCause?)>((nil, nil))

    func connect(_ stopSwitch: StopSwitch) {
        let pending = state.withLock { state in
            state.stopSwitch = stopSwitch
            return state.pending
        }
        if let pending { stopSwitch.stop(pending) }
    }

    func ring(_ cause: CompositionRun.StopCause) {
        let stopSwitch = state.withLock { state in
            if state.stopSwitch == nil { state.pending = cause }
            return state.stopSwitch
        }
        stopSwitch?.stop(cause)
    }
}

/// Kills a run once and remembers why (the first cause wins: a cancel during a timeout stays a timeout).
private final class StopSwitch: Sendable {
    private let run: OrcRun
    private let state = Mutex<CompositionRun.StopCause?>(nil)

    init(run: OrcRun) { self.run = run }

    var cause: CompositionRun.StopCause? { state.withLock { $0 } }

    func stop(_ cause: CompositionRun.StopCause) {
        let first = state.withLock { current -> Bool in
            guard current == nil else { return false }
            current = cause
            return true
        }
        if first { run.kill() }
    }
}
