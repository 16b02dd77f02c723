import GRDB
import WSECore

extension SQLiteStore {
    /// Runs `work` in a read transaction, turning any database failure into a `StoreError`.
    func read<T: Sendable>(_ action: String, _ work: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.read(work)
        } catch {
            throw Self.storeError(error, location: location, doing: action)
        }
    }

    /// Runs `work` in a write transaction, turning any database failure into a `StoreError`; once it is
    /// committed, `change` goes to the subscribers of ``changes()``.
    func write<T: Sendable>(
        _ action: String, announcing change: StoreChange? = nil, _ work: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        let result: T
        do {
            result = try await database.write(work)
        } catch {
            throw Self.storeError(error, location: location, doing: action)
        }
        if let change { changeBroadcaster.publish(change) }
        return result
    }
}

extension SQLiteStore: StoreChangeFeed {
    /// The changes made through this store (not those of another process writing the same file, such as
    /// `wse keys rotate`: a node sees those at its next start).
    public func changes() -> AsyncStream<StoreChange> {
        changeBroadcaster.subscribe()
    }
}
