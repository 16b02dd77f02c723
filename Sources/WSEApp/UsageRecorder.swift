import Logging
import ServiceLifecycle
import Synchronization
import WSECore

/// Takes the mediator's usage records without waiting (a lock held for an append) and writes them to the
/// store in batches, once a second and at shutdown, off the hot path. While the store is away a batch is kept
/// and tried again; past `maxPending` waiting records new ones are dropped and counted in the log.
public final class UsageRecorder: UsageRecording, Service {
    let store: any UsageStore
    let logger: Logger
    let interval: Duration
    let maxPending: Int
    private let pending = Mutex(Pending())

    private struct Pending {
        var records: [UsageRecord] = []
        var dropped = 0
    }

    public init(store: any UsageStore, logger: Logger, interval: Duration = .seconds(1), maxPending: Int = 100_000) {
        self.store = store
        self.logger = logger
        self.interval = interval
        self.maxPending = maxPending
    }

    public func record(_ usage: UsageRecord) {
        pending.withLock { pending in
            if pending.records.count < maxPending {
                pending.records.append(usage)
            } else {
                pending.dropped += 1
            }
        }
    }

    /// Writes what is queued now; a failed batch goes back to the front of the queue.
    public func flush() async {
        let (batch, dropped) = pending.withLock { pending in
            defer { pending = Pending() }
            return (pending.records, pending.dropped)
        }
        if dropped > 0 { logger.error("usage records dropped: the store did not keep up", metadata: ["dropped": "\(dropped)"]) }
        guard !batch.isEmpty else { return }
        do {
            try await store.appendUsage(batch)
        } catch {
            logger.error("usage records not written yet; trying again", metadata: ["records": "\(batch.count)", "error": "\(error)"])
            pending.withLock { pending in
                let room = max(0, maxPending - pending.records.count)
                pending.dropped += max(0, batch.count - room)
                pending.records.insert(contentsOf: batch.prefix(room), at: 0)
            }
        }
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            await flush()
        }
        await flush()
    }
}
