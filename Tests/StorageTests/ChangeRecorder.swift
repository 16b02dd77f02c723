import Synchronization
import WSECore

/// Collects what a store's change feed reports, for tests to wait on with `eventually`.
final class ChangeRecorder: Sendable {
    private final class Log: Sendable {
        let changes = Mutex<[StoreChange]>([])
    }

    private let log = Log()
    private let reader: Task<Void, Never>

    init(_ feed: some StoreChangeFeed) {
        let changes = feed.changes()
        let log = log
        reader = Task { for await change in changes { log.changes.withLock { $0.append(change) } } }
    }

    deinit { reader.cancel() }

    /// Everything reported so far, in order.
    var changes: [StoreChange] { log.changes.withLock { $0 } }

    /// What was reported, without the `everything` a PostgreSQL feed reports each time it starts listening.
    var specificChanges: [StoreChange] { changes.filter { $0 != .everything } }
}
