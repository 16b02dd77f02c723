import Synchronization

/// Counts the manager's unowned tasks (one per client `request` or `cancel`, started straight from the event
/// loop) so that a graceful shutdown can wait for the last one. The hot path pays one atomic add and one
/// subtract; the lock is taken only when the count reaches zero while someone waits.
final class InFlightTasks: Sendable {
    private let running = Atomic<Int>(0)
    private let awaited = Atomic<Bool>(false)
    private let waiters = Mutex<[CheckedContinuation<Void, Never>]>([])

    func started() {
        running.add(1, ordering: .sequentiallyConsistent)
    }

    func finished() {
        guard running.subtract(1, ordering: .sequentiallyConsistent).newValue == 0,
            awaited.load(ordering: .sequentiallyConsistent)
        else { return }
        let resumed = waiters.withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
        for waiter in resumed { waiter.resume() }
    }

    /// Returns once no task is running (at once when none is).
    func none() async {
        awaited.store(true, ordering: .sequentiallyConsistent)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = waiters.withLock { waiters in
                guard running.load(ordering: .sequentiallyConsistent) > 0 else { return true }
                waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
