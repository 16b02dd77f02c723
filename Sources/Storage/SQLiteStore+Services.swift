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

    public func deleteService(id: ServiceID) async throws(StoreError) -> Bool {
        try await write("delete service \"\(id)\"", announcing: .service(id)) { db in
            try ServiceRecord.deleteOne(db, key: id.rawValue)
        }
    }
}
