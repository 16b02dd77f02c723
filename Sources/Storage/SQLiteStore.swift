import Foundation
import GRDB
import WSECore

/// The node's embedded store: every store port of `WSECore` (subscribers, services, secrets,
/// versioned compositions) in one SQLite database, through GRDB.
///
/// Use `SQLiteStore(path:)` for a node (a WAL-mode database file, safe for concurrent readers
/// and one writer, waiting up to `busyTimeout` for a lock) and `SQLiteStore.inMemory()` in
/// tests. The schema is created and upgraded by `StoreSchema.migrator` when the store opens.
/// Every failure is a `StoreError` whose message says what to do about it.
public final class SQLiteStore: Sendable {
    /// Where the data lives, for messages: a file path or `":memory:"`.
    public let location: String
    let database: any DatabaseWriter
    let changeBroadcaster = ChangeBroadcaster()

    /// The `path` that asks for a private in-memory database instead of a file.
    public static let inMemoryPath = ":memory:"

    /// Opens (creating it if needed) the database file at `path` and brings its schema up to date.
    /// `inMemoryPath` (`:memory:`) gives an empty in-memory database that keeps nothing across restarts.
    /// - Parameter busyTimeout: how long a write waits for another process's lock before failing.
    public convenience init(path: String, busyTimeout: Duration = .seconds(5)) throws(StoreError) {
        if path == Self.inMemoryPath {
            try self.init(location: path, busyTimeout: busyTimeout) { try DatabaseQueue(configuration: $0) }
            return
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory) else {
            throw StoreError("cannot open the database \(path): the directory \(directory) does not exist; create it or choose another path")
        }
        try Self.createPrivateFile(at: path)
        try self.init(location: path, busyTimeout: busyTimeout) { try DatabasePool(path: path, configuration: $0) }
    }

    /// Creates the database file readable by its owner only: it holds the signing key, the admin token,
    /// connector keys and SIP passwords. SQLite gives the `-wal` and `-shm` files it makes later the
    /// database file's mode. A file that exists (made by an older version, or copied in) loses the
    /// group's and others' rights, and so do its `-wal` and `-shm` files.
    private static func createPrivateFile(at path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return
        }
        guard errno == EEXIST else { throw StoreError("cannot create the database \(path): \(String(cString: strerror(errno)))") }
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, status.st_mode & 0o7700) == 0 else {
                throw StoreError(
                    "the database file \(file) is readable by others and cannot be made private (\(String(cString: strerror(errno)))); "
                        + "run chmod 600 on it as its owner")
            }
        }
    }

    /// A private database in memory, empty and migrated: for tests and throw-away demos.
    public static func inMemory() throws(StoreError) -> SQLiteStore {
        try SQLiteStore(path: inMemoryPath)
    }

    private init(location: String, busyTimeout: Duration, open: (Configuration) throws -> any DatabaseWriter) throws(StoreError) {
        self.location = location
        do {
            database = try open(Self.configuration(busyTimeout: busyTimeout))
        } catch {
            throw Self.storeError(error, location: location, doing: "open the database")
        }
        try migrate()
    }

    private static func configuration(busyTimeout: Duration) -> Configuration {
        var configuration = Configuration()
        configuration.label = "wse-store"
        let (seconds, attoseconds) = busyTimeout.components
        configuration.busyMode = .timeout(TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) with NORMAL sync is durable across crashes of the process.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    private func migrate() throws(StoreError) {
        let migrator = StoreSchema.migrator
        do {
            let unknown = try database.read { db in try migrator.appliedIdentifiers(db).subtracting(migrator.migrations) }
            guard unknown.isEmpty else {
                throw StoreError(
                    "the database \(location) has schema migrations that this WSE does not know (\(unknown.sorted().joined(separator: "; "))): "
                        + "a newer WSE upgraded it; run that WSE (or a later one), or restore a backup taken before the upgrade")
            }
            try migrator.migrate(database)
        } catch {
            throw Self.storeError(error, location: location, doing: "create or upgrade the schema")
        }
    }

    /// The SQLite journal mode in use (`wal` for a file, `memory` in memory).
    public func journalMode() async throws(StoreError) -> String {
        try await read("read the journal mode") { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown"
        }
    }
}
