import GRDB
import WSECore

extension SQLiteStore: PartyStore {
    public func providers() async throws(StoreError) -> [ProviderAccount] {
        try await read("read the providers") { db in
            try ProviderRecord.order(Column("id")).fetchAll(db).map(\.account)
        }
    }

    public func provider(id: String) async throws(StoreError) -> ProviderAccount? {
        try await read("read provider \"\(id)\"") { db in try ProviderRecord.fetchOne(db, key: id)?.account }
    }

    public func provider(keyHash: String) async throws(StoreError) -> ProviderAccount? {
        try await read("find a provider by key") { db in
            try ProviderRecord.filter(Column("keyHash") == keyHash).fetchOne(db)?.account
        }
    }

    public func save(_ provider: ProviderAccount, audit: AuditEntry) async throws(StoreError) {
        let record = ProviderRecord(provider)
        let entry = AuditRecord(audit)
        try await write("save provider \"\(provider.id)\"", announcing: .provider(provider.id)) { db in
            try record.save(db)
            try entry.insert(db)
        }
    }

    public func retailers() async throws(StoreError) -> [RetailerAccount] {
        try await read("read the retailers") { db in
            try RetailerRecord.order(Column("id")).fetchAll(db).map(\.account)
        }
    }

    public func retailer(clientID: String) async throws(StoreError) -> RetailerAccount? {
        try await read("find a retailer by client id") { db in
            try RetailerRecord.filter(Column("clientID") == clientID).fetchOne(db)?.account
        }
    }

    public func save(_ retailer: RetailerAccount, audit: AuditEntry) async throws(StoreError) {
        let record = RetailerRecord(retailer)
        let entry = AuditRecord(audit)
        try await write("save retailer \"\(retailer.id)\"", announcing: .retailer(retailer.id)) { db in
            try record.save(db)
            try entry.insert(db)
        }
    }

    public func record(_ audit: AuditEntry) async throws(StoreError) {
        let entry = AuditRecord(audit)
        try await write("record an audit entry") { db in try entry.insert(db) }
    }

    public func auditEntries(limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await read("read the audit log") { db in
            try AuditRecord.order(Column("seq").desc).limit(limit).fetchAll(db).map(\.entry)
        }
    }
}
