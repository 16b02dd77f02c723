import PostgresNIO
import WSECore

extension PostgresStore: SecretStore {
    public func secret(named name: String) async throws(StoreError) -> String? {
        try await access("read a secret") {
            try await rows("SELECT value FROM secret WHERE name = \(name)").first?.decode(String.self)
        }
    }

    /// Creates or replaces the secret. The value never appears in errors or logs.
    public func saveSecret(_ value: String, named name: String) async throws(StoreError) {
        try await access("save secret \"\(name)\"") {
            try await rows("INSERT INTO secret (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                announcing: .secret(name))
        }
    }
}
