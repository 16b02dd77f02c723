import Orc
import Synchronization
import WSECore

/// The `ProcessSink` of one service process started by a composition's site call: it hands the
/// answer to the waiting site call and, for `Subscribe`, feeds the events to an `OrcStream`.
final class SiteCallSink: ProcessSink {
    /// What ended the wait of the site call.
    enum Answer: Sendable {
        case responded(JSONValue)
        case failed(ServiceError)
        /// The process ended without answering (for example cancelled by the mediator).
        case ended(EndReason)
        /// The site call was killed (pruning, or the run ended) before the answer.
        case abandoned
    }

    private struct State {
        var answer: Answer?
        var waiter: CheckedContinuation<Answer, Never>?
        var pid: ProcessID?
        var finished = false
    }

    let mode: SiteCallMode
    /// The events of a `Subscribe` call; nil for `Service`.
    let events: OrcStream?
    private let state = Mutex(State())
    private let ledger: ServiceProcessLedger
    /// Told about failures that come after the answer (a subscription that breaks), which no site call waits for.
    private let lateFailure: @Sendable (ServiceError) async -> Void

    init(mode: SiteCallMode, service: ServiceID, ledger: ServiceProcessLedger, lateFailure: @escaping @Sendable (ServiceError) async -> Void) {
        self.mode = mode
        self.events = mode == .events ? OrcStream(name: "\(service) events") : nil
        self.ledger = ledger
        self.lateFailure = lateFailure
    }

    func respond(_ data: JSONValue) async { settle(.responded(data)) }

    func emit(_ data: JSONValue) async {
        if let events {
            events.send(OrcValue(json: data))
        } else if let pid = state.withLock({ $0.pid }) {
            // `Service` called an asynchronous service: nobody reads its events, so it stops here.
            await ledger.release(pid)
        }
    }

    func fail(_ error: ServiceError) async {
        if !settle(.failed(error)) { await lateFailure(error) }
    }

    func finish(_ reason: EndReason) async {
        let pid = state.withLock { state -> ProcessID? in
            state.finished = true
            return state.pid
        }
        settle(.ended(reason))
        events?.finish()
        if let pid { await ledger.forget(pid) }
    }

    /// Waits for the answer, or for `abandon()`.
    func answer() async -> Answer {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Answer? in
                if state.answer == nil { state.waiter = continuation }
                return state.answer
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// The site call no longer waits (it was killed): `answer()` returns `.abandoned`.
    func abandon() { settle(.abandoned) }

    /// Records the process id once `invoke` returned it.
    /// - Returns: whether the process already finished.
    func assign(pid: ProcessID) -> Bool {
        state.withLock { state in
            state.pid = pid
            return state.finished
        }
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    /// Sets the answer if there is none yet. - Returns: whether this call set it.
    @discardableResult
    private func settle(_ answer: Answer) -> Bool {
        let (waiter, first) = state.withLock { state -> (CheckedContinuation<Answer, Never>?, Bool) in
            guard state.answer == nil else { return (nil, false) }
            state.answer = answer
            defer { state.waiter = nil }
            return (state.waiter, true)
        }
        waiter?.resume(returning: answer)
        return first
    }
}
