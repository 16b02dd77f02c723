import Logging
import PostgresNIO
import WSECore

/// The node's shared store on PostgreSQL: the same store ports as `SQLiteStore` (subscribers, services,
/// secrets, versioned compositions), through a PostgresNIO connection pool, for nodes that share one database.
///
/// Open it with ``withStore(url:logger:_:)``: it connects once to bring the schema up to date (so a server
/// that is down, or a schema newer than this WSE, fails the start at once), runs the pool while `body` runs,
/// and closes every connection when `body` returns. Every failure is a `StoreError` that says what to do.
public final class PostgresStore: Sendable {
    /// Where the data lives, for messages (the URL without its password).
    public let location: String
    let client: PostgresClient
    let logger: Logger
    let changeBroadcaster: ChangeBroadcaster
    let changeListener: PostgresChangeListener

    private init(target: PostgresURL, client: PostgresClient, logger: Logger) {
        location = target.description
        self.client = client
        self.logger = logger
        changeBroadcaster = ChangeBroadcaster()
        changeListener = PostgresChangeListener(target: target, broadcaster: changeBroadcaster, logger: logger)
    }

    /// Whether the store listens for other nodes' changes now (false while it connects again after a loss).
    public var isListeningForChanges: Bool { changeListener.isListening }

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`), migrates the schema, and runs
    /// `body` with the store; the store must not be used after `body` returns. Meanwhile it listens for the
    /// changes of every node (``changes()``), and listens again when that connection is lost.
    public static func withStore<Result>(
        url: String, logger: Logger, _ body: (PostgresStore) async throws -> Result
    ) async throws -> Result {
        let target = try PostgresURL(url)
        try await PostgresSchema.migrate(target, logger: logger)
        // PostgresNIO's one background warning is a false alarm when the first query races `run()` below;
        // every real failure reaches the caller as a thrown error, so its background log starts at errors.
        var backgroundLogger = logger
        backgroundLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: target.clientConfiguration, backgroundLogger: backgroundLogger)
        let store = PostgresStore(target: target, client: client, logger: logger)
        defer { store.changeBroadcaster.finish() }
        return try await withThrowingDiscardingTaskGroup(returning: Result.self) { group in
            group.addTask { await client.run() }
            group.addTask { await store.changeListener.run() }
            let result = try await body(store)
            group.cancelAll()  // closes the pool's connections and the listener's
            return result
        }
    }

    /// Runs `work`, turning any failure into a `StoreError` that names `action`.
    @discardableResult
    func access<T>(_ action: String, _ work: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await work()
        } catch {
            throw Self.storeError(error, location: location, doing: action)
        }
    }

    /// Runs `query` to its end and returns its rows: its errors surface here, and a write is done when this returns.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.query(query, logger: logger).collect()
    }

    /// Runs the write `query` and announces `change` in the same transaction, so that every node hears of
    /// the change exactly when it is committed (and never of one that was rolled back).
    @discardableResult
    func rows(_ query: PostgresQuery, announcing change: StoreChange) async throws -> [PostgresRow] {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(query, logger: logger).collect()
            _ = try await connection.query(Self.notification(of: change), logger: logger).collect()
            return rows
        }
    }

    static func notification(of change: StoreChange) -> PostgresQuery {
        "SELECT pg_notify(\(StoreChange.notificationChannel), \(change.notificationPayload))"
    }
}

extension PostgresStore: StoreChangeFeed {
    /// The changes every node makes through its store, each once committed (LISTEN/NOTIFY); after a lost
    /// connection, `StoreChange.everything` once listening again.
    public func changes() -> AsyncStream<StoreChange> {
        changeBroadcaster.subscribe()
    }
}
