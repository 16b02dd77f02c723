import PostgresNIO
import WSECore

extension PostgresStore: ServiceStore {
    /// Every stored service, ordered by id.
    public func allServices() async throws(StoreError) -> [ServiceDefinition] {
        try await access("read the services") {
            // COLLATE "C" orders ids by code point, as SQLite does, whatever the database's locale.
            try await rows("SELECT id, definition FROM service ORDER BY id COLLATE \"C\"").map { row in
                let (id, definition) = try row.decode((String, String).self)
                return try ServiceRecord(id: id, definition: definition).service()
            }
        }
    }

    /// Creates the service, or replaces the one with the same id.
    public func save(_ service: ServiceDefinition) async throws(StoreError) {
        let record = try ServiceRecord.encoding(service)
        try await access("save service \"\(service.id)\"") {
            try await rows(
                """
                INSERT INTO service (id, definition) VALUES (\(record.id), \(record.definition))
                ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition
                """, announcing: .service(service.id))
        }
    }

    /// One statement: the upsert's `WHERE` refuses a row of another owner (a concurrent insert of the same id waits
    /// for the first and is then judged against it); `xmax = 0` marks a row that was inserted rather than updated.
    public func save(_ service: ServiceDefinition, ownedBy provider: String) async throws(StoreError) -> OwnedServiceSave {
        let record = try ServiceRecord.encoding(service)
        return try await access("save service \"\(service.id)\" of provider \"\(provider)\"") {
            let written = try await rows(
                """
                INSERT INTO service (id, definition) VALUES (\(record.id), \(record.definition))
                ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition
                WHERE service.definition::jsonb ->> 'provider' = \(provider)
                RETURNING xmax = 0
                """, announcing: .service(service.id))
            guard let inserted = try written.first?.decode(Bool.self) else { return .ownedByAnother }
            return inserted ? .created : .replaced
        }
    }

    public func deleteService(id: ServiceID) async throws(StoreError) -> Bool {
        try await access("delete service \"\(id)\"") {
            try await !rows("DELETE FROM service WHERE id = \(id.rawValue) RETURNING id", announcing: .service(id)).isEmpty
        }
    }
}
