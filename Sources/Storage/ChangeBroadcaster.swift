import Foundation
import Synchronization
import WSECore

/// Hands every `StoreChange` to each open subscription of a store's change feed.
///
/// Each subscription is an unbounded `AsyncStream`: changes are rare (admin writes) and a subscriber
/// that falls behind must still see every one of them.
final class ChangeBroadcaster: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<StoreChange>.Continuation]>([:])

    /// A new subscription, ended by `finish()` or when its consumer drops it.
    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream<StoreChange>.makeStream()
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    func publish(_ change: StoreChange) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(change) }
    }

    /// Ends every subscription (the store is closing).
    func finish() {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}
