import Foundation
import PostgresNIO
import WSECore

extension PostgresStore: PartyStore {
    public func providers() async throws(StoreError) -> [ProviderAccount] {
        try await access("read the providers") {
            try await rows("SELECT id, name, key_hash, created_at FROM provider ORDER BY id COLLATE \"C\"").map(Self.provider(from:))
        }
    }

    public func provider(id: String) async throws(StoreError) -> ProviderAccount? {
        try await access("read provider \"\(id)\"") {
            try await rows("SELECT id, name, key_hash, created_at FROM provider WHERE id = \(id)").first.map(Self.provider(from:))
        }
    }

    public func provider(keyHash: String) async throws(StoreError) -> ProviderAccount? {
        try await access("find a provider by key") {
            try await rows("SELECT id, name, key_hash, created_at FROM provider WHERE key_hash = \(keyHash)").first.map(Self.provider(from:))
        }
    }

    public func save(_ provider: ProviderAccount, audit: AuditEntry) async throws(StoreError) {
        try await access("save provider \"\(provider.id)\"") {
            try await rows(
                [
                    """
                    INSERT INTO provider (id, name, key_hash, created_at)
                    VALUES (\(provider.id), \(provider.name), \(provider.keyHash), \(provider.createdAt))
                    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, key_hash = EXCLUDED.key_hash
                    """,
                    Self.insertion(of: audit),
                ], announcing: .provider(provider.id))
        }
    }

    public func retailers() async throws(StoreError) -> [RetailerAccount] {
        try await access("read the retailers") {
            try await rows("SELECT id, name, origins, client_id FROM retailer ORDER BY id COLLATE \"C\"").map(Self.retailer(from:))
        }
    }

    public func retailer(clientID: String) async throws(StoreError) -> RetailerAccount? {
        try await access("find a retailer by client id") {
            try await rows("SELECT id, name, origins, client_id FROM retailer WHERE client_id = \(clientID)").first.map(Self.retailer(from:))
        }
    }

    public func save(_ retailer: RetailerAccount, audit: AuditEntry) async throws(StoreError) {
        try await access("save retailer \"\(retailer.id)\"") {
            try await rows(
                [
                    """
                    INSERT INTO retailer (id, name, origins, client_id)
                    VALUES (\(retailer.id), \(retailer.name), \(retailer.origins), \(retailer.clientID))
                    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, origins = EXCLUDED.origins, client_id = EXCLUDED.client_id
                    """,
                    Self.insertion(of: audit),
                ], announcing: .retailer(retailer.id))
        }
    }

    public func record(_ audit: AuditEntry) async throws(StoreError) {
        try await access("record an audit entry") { try await rows(Self.insertion(of: audit)) }
    }

    public func auditEntries(limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await access("read the audit log") {
            try await rows("SELECT at, actor, action, target, detail FROM audit ORDER BY seq DESC LIMIT \(limit)").map { row in
                let (at, actor, action, target, detail) = try row.decode((Date, String, String, String, String).self)
                return AuditEntry(at: at, actor: actor, action: action, target: target, detail: detail)
            }
        }
    }

    private static func insertion(of audit: AuditEntry) -> PostgresQuery {
        """
        INSERT INTO audit (at, actor, action, target, detail)
        VALUES (\(audit.at), \(audit.actor), \(audit.action), \(audit.target), \(audit.detail))
        """
    }

    private static func provider(from row: PostgresRow) throws -> ProviderAccount {
        let (id, name, keyHash, createdAt) = try row.decode((String, String, String, Date).self)
        return ProviderAccount(id: id, name: name, keyHash: keyHash, createdAt: createdAt)
    }

    private static func retailer(from row: PostgresRow) throws -> RetailerAccount {
        let (id, name, origins, clientID) = try row.decode((String, String, [String], String).self)
        return RetailerAccount(id: id, name: name, origins: origins, clientID: clientID)
    }

    /// Runs the write `queries` in one transaction with the announcement of `change`.
    private func rows(_ queries: [PostgresQuery], announcing change: StoreChange) async throws {
        try await client.withTransaction(logger: logger) { connection in
            for query in queries { _ = try await connection.query(query, logger: logger).collect() }
            _ = try await connection.query(Self.notification(of: change), logger: logger).collect()
        }
    }
}
