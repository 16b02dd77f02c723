import GRDB
import WSECore

extension SQLiteStore: SecretStore {
    public func secret(named name: String) async throws(StoreError) -> String? {
        try await read("read a secret") { db in
            try SecretRecord.fetchOne(db, key: name)?.value
        }
    }

    /// Creates or replaces the secret. The value never appears in errors or logs.
    public func saveSecret(_ value: String, named name: String) async throws(StoreError) {
        try await write("save secret \"\(name)\"", announcing: .secret(name)) { db in
            try SecretRecord(name: name, value: value).save(db)
        }
    }
}
