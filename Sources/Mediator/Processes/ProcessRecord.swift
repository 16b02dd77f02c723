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
/// Output is queued in `outbox` and handed to the owner in order by one drainer at a time. Until the
/// first answer (`answered`) it is held back: a connector may push through connector IN before its
/// own 202 reaches connector OUT, and the owner must see the response first.
struct ProcessRecord: Sendable {
    let pid: ProcessID
    let owner: ProcessOwner
    /// The service the caller named; events carry this id even when an alternative serves.
    let requestedService: ServiceID
    /// The service that serves the call: the requested one or an alternative.
    let serving: ServiceDefinition
    let counters: ServiceCounters
    let sessionID: SessionID?
    let isTrial: Bool
    let admittedAt: ContinuousClock.Instant
    var task: Task<Void, Never>?
    var answered = false
    /// The owner is told the end with an `end` message (asynchronous calls, compositions, cancels).
    var longRunning = false
    var ended = false
    /// The owner is gone (its session ended): output is dropped.
    var ownerGone = false
    var outbox: [ProcessOutput] = []
    var draining = false
}
