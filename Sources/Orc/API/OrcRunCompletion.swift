import Foundation
import Synchronization

/// The end of a run, awaited by any number of callers.
final class OrcRunCompletion: Sendable {
    private struct State {
        var outcome: OrcRunOutcome?
        var waiters: [CheckedContinuation<OrcRunOutcome, Never>] = []
    }

    private let state = Mutex(State())

    func finish(_ outcome: OrcRunOutcome) {
        let waiters = state.withLock { state in
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    func wait() async -> OrcRunOutcome {
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> OrcRunOutcome? in
                if let outcome = state.outcome { return outcome }
                state.waiters.append(continuation)
                return nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }
}
