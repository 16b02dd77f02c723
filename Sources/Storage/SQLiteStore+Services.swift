import GRDB
import WSECore

extension SQLiteStore: ServiceStore {
    /// Every stored service, ordered by id.
    public func allServices() async throws(StoreError) -> [ServiceDefinition] {
        try await read("read the services") { db in
            try ServiceRecord.order(Column("id")).fetchAll(db).map { try $0.service() }
        }
    }

    /// Creates the service, or replaces the one with the same id.
    public func save(_ service: ServiceDefinition) async throws(StoreError) {
        let record = try ServiceRecord.encoding(service)
        try await write("save service \"\(service.id)\"", announcing: .service(service.id)) { db in
            try record.save(db)
        }
    }

    /// The check and the write in one write transaction: SQLite runs one writer at a time.
    public func save(_ service: ServiceDefinition, ownedBy provider: String) async throws(StoreError) -> OwnedServiceSave {
        let record = try ServiceRecord.encoding(service)
        return try await write("save service \"\(service.id)\" of provider \"\(provider)\"", announcing: .service(service.id)) { db in
            guard let stored = try ServiceRecord.fetchOne(db, key: record.id) else {
                try record.insert(db)
                return .created
            }
            guard try stored.service().provider == provider else { return .ownedByAnother }
            try record.update(db)
            return .replaced
        }
    }

    public func deleteService(id: ServiceID) async throws(StoreError) -> Bool {
        try await write("delete service \"\(id)\"", announcing: .service(id)) { db in
            try ServiceRecord.deleteOne(db, key: id.rawValue)
        }
    }
}
