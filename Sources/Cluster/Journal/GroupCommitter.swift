import Synchronization

/// Writes items in batches: callers enqueue without waiting, and ``committed()`` returns once everything
/// enqueued before it is written. One writer takes all pending items at once, so many concurrent callers
/// share one round trip to the database (a group commit).
///
/// Run ``run()`` for as long as items may come; when it stops (or ``halt()``), waiters are released and
/// nothing more is written.
final class GroupCommitter<Item: Sendable>: Sendable {
    typealias Write = @Sendable ([Item]) async throws -> Void

    private struct State {
        var pending: [Item] = []
        /// Items ever enqueued, and items written (or given up) so far: a waiter waits for its mark.
        var enqueued: UInt64 = 0
        var done: UInt64 = 0
        var waiters: [(mark: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        var halted = false
    }

    private let state = Mutex(State())
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation
    private let write: Write
    private let failed: @Sendable (any Error, Int) -> Void

    /// - Parameters:
    ///   - write: writes one batch, in enqueue order.
    ///   - failed: told about a batch that could not be written (its items are dropped, its waiters released).
    init(write: @escaping Write, failed: @escaping @Sendable (any Error, Int) -> Void) {
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.write = write
        self.failed = failed
    }

    /// Queues an item for the next batch; never blocks.
    func enqueue(_ item: Item) {
        let accepted = state.withLock { state in
            guard !state.halted else { return false }
            state.pending.append(item)
            state.enqueued += 1
            return true
        }
        if accepted { wakeUp.yield() }
    }

    /// Returns once every item enqueued before this call is written (or given up: failed, or halted).
    func committed() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                guard !state.halted, state.done < state.enqueued else { return true }
                state.waiters.append((state.enqueued, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Writes batches until cancelled or halted; then releases every waiter.
    func run() async {
        for await _ in wakeUps {
            while let (batch, mark) = takeBatch() {
                do {
                    try await write(batch)
                } catch where !Task.isCancelled {
                    failed(error, batch.count)
                } catch {
                    // Stopping: the batch is abandoned with the rest.
                }
                finish(through: mark)
            }
        }
        halt()
    }

    /// Stops writing: pending items are dropped, waiters released, later items refused.
    func halt() {
        let waiters = state.withLock { state in
            state.halted = true
            state.pending = []
            defer { state.waiters = [] }
            return state.waiters
        }
        wakeUp.finish()
        for waiter in waiters { waiter.continuation.resume() }
    }

    private func takeBatch() -> ([Item], UInt64)? {
        state.withLock { state in
            guard !state.halted, !state.pending.isEmpty else { return nil }
            defer { state.pending = [] }
            return (state.pending, state.enqueued)
        }
    }

    private func finish(through mark: UInt64) {
        let ready = state.withLock { state in
            state.done = mark
            let ready = state.waiters.filter { $0.mark <= mark }
            state.waiters.removeAll { $0.mark <= mark }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }
}
