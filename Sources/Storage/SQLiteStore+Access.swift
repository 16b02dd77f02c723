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

    /// Runs `work` in a write transaction, turning any database failure into a `StoreError`.
    func write<T: Sendable>(_ action: String, _ work: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.write(work)
        } catch {
            throw Self.storeError(error, location: location, doing: action)
        }
    }
}
