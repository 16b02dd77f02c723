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
        var waiters: [(mark: UInt64, doneAtCall: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var halted = false
        /// The mark of the last batch that failed (0: none). A waiter whose items may have been in it (it ended at
        /// or after what was done when the waiter called) is told its items are not durable.
        var lastFailedMark: UInt64 = 0

        func durable(since doneAtCall: UInt64) -> Bool { lastFailedMark == 0 || lastFailedMark < doneAtCall }
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
    /// - Returns: false when they may not all be written: a batch that may hold one of them failed, or halted.
    @discardableResult
    func committed() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer: Bool? = state.withLock { state in
                if state.halted { return false }
                guard state.done < state.enqueued else { return state.durable(since: state.done) }
                state.waiters.append((state.enqueued, state.done, continuation))
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Writes batches until cancelled or halted; then releases every waiter.
    func run() async {
        for await _ in wakeUps {
            while let (batch, mark) = takeBatch() {
                do {
                    try await write(batch)
                    finish(through: mark, failed: false)
                } catch where !Task.isCancelled {
                    failed(error, batch.count)
                    finish(through: mark, failed: true)
                } catch {
                    // Stopping: the batch is abandoned with the rest (the waiters are released by `halt`).
                }
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
        for waiter in waiters { waiter.continuation.resume(returning: false) }
    }

    private func takeBatch() -> ([Item], UInt64)? {
        state.withLock { state in
            guard !state.halted, !state.pending.isEmpty else { return nil }
            defer { state.pending = [] }
            return (state.pending, state.enqueued)
        }
    }

    private func finish(through mark: UInt64, failed: Bool) {
        let ready = state.withLock { state in
            state.done = mark
            if failed { state.lastFailedMark = mark }
            let ready = state.waiters.filter { $0.mark <= mark }.map { ($0.continuation, state.durable(since: $0.doneAtCall)) }
            state.waiters.removeAll { $0.mark <= mark }
            return ready
        }
        for (continuation, durable) in ready { continuation.resume(returning: durable) }
    }
}
