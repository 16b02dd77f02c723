import WSECore

/// Who receives the output of a process.
enum ProcessOwner: Sendable {
    /// A browser session's `request`; answers carry the client's request id.
    case session(id: SessionID, requestID: String)
    /// A caller of `ServiceInvoking` (a composition's site call).
    case sink(any ProcessSink)

    var pushRoute: PushRoute {
        switch self {
        case .session: .session
        case .sink: .composition
        }
    }
}

/// One piece of output on its way to the owner, in `ProcessSink` terms.
enum ProcessOutput: Sendable {
    case respond(JSONValue)
    case emit(JSONValue)
    case fail(ServiceError)
    case finish(EndReason)
}

/// A row of the mediator's process table.
///
/// Output is queued in `outbox` and handed to the owner in order by one drainer at a time, once
/// `state` says the process is answered.
struct ProcessRecord: Sendable {
    let pid: ProcessID
    let owner: ProcessOwner
    /// The user the call runs for (a connector may push to the users of its running processes).
    let user: UserName
    /// The service the caller named; events carry this id even when an alternative serves.
    let requestedService: ServiceID
    /// The service that serves the call: the requested one or an alternative.
    let serving: ServiceDefinition
    let counters: ServiceCounters
    let sessionID: SessionID?
    let isTrial: Bool
    let admittedAt: ContinuousClock.Instant
    var task: Task<Void, Never>?
    var state = ProcessState.awaitingAnswer
    var outbox: [ProcessOutput] = []
    /// A drainer is handing the outbox to the owner: the one at a time, not a stage of the process.
    var draining = false
    /// What it used, while usage is recorded.
    var usage: ProcessUsage?
}
