import Foundation
import GRDB
import Storage
import Testing
import WSETesting
import WSECore

extension StoreContractTests {
    /// Versioned schemas: migrations run once at start, and a schema newer than this WSE stops it.
    @Suite struct SchemaVersionTests {
        @Test(arguments: StoreEngine.allCases) func aSchemaNewerThanThisWSEIsRefusedWithAMessageThatSaysSo(engine: StoreEngine) async throws {
            switch engine {
            case .sqlite:
                try await withTemporaryDirectory { directory in
                    let path = directory.appendingPathComponent("wse.sqlite").path
                    _ = try SQLiteStore(path: path)
                    let other = try DatabaseQueue(path: path)
                    try await other.write { db in
                        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
                    }
                    let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
                    #expect(error?.description.contains("the database \(path) has schema migrations that this WSE does not know (v99: from the future)") == true)
                    #expect(error?.description.contains("a newer WSE upgraded it") == true)
                }
            case .postgres:
                let server = try PostgresTestServer.require()
                let database = try await server.makeDatabase()
                try await PostgresStore.withStore(url: server.url(of: database), logger: .quietStore) { _ in }
                try await server.execute("INSERT INTO schema_version (version, name) VALUES (99, 'from the future')", in: database)
                let error = await #expect(throws: StoreError.self) {
                    try await PostgresStore.withStore(url: server.url(of: database), logger: .quietStore) { _ in }
                }
                #expect(error?.description.contains("\(database) has schema version 99, newer than version 6 that this WSE knows") == true)
                #expect(error?.description.contains("a newer WSE upgraded it") == true)
            }
        }

        @Test func postgresMigrationsRunOnceAndReopeningKeepsTheData() async throws {
            let server = try PostgresTestServer.require()
            let database = try await server.makeDatabase()
            let url = server.url(of: database)
            try await PostgresStore.withStore(url: url, logger: .quietStore) { store in
                try await store.saveSecret("pem", named: "key")
                _ = try await store.saveComposition(id: "eab", source: "v1")
            }
            try await PostgresStore.withStore(url: url, logger: .quietStore) { store async throws in
                #expect(try await store.secret(named: "key") == "pem")
                #expect(try await store.saveComposition(id: "eab", source: "v2").version == 2)
            }
            let versions = try await server.execute("SELECT version, name FROM schema_version", in: database)
                .map { try $0.decode((Int, String).self) }
            #expect(versions.map(\.0) == [1, 2, 3, 4, 5, 6])
        }

        /// Migration 5: the shared session store's messages held for away clients, one per place among the events.
        @Test func postgresKeepsHeldMessagesOnePerPlaceInTheirOrder() async throws {
            let server = try PostgresTestServer.require()
            let database = try await server.makeDatabase()
            try await PostgresStore.withStore(url: server.url(of: database), logger: .quietStore) { _ in }
            try await server.execute(
                "INSERT INTO session_message (session, after_seq, rank, text) VALUES ('s', 2, 0, 'c'), ('s', 0, 1, 'b'), ('s', 0, 0, 'a')",
                in: database)
            await #expect(throws: (any Error).self, "one message per place") {
                try await server.execute("INSERT INTO session_message (session, after_seq, rank, text) VALUES ('s', 0, 1, 'x')", in: database)
            }
            let texts = try await server.execute("SELECT text FROM session_message WHERE session = 's' ORDER BY after_seq, rank", in: database)
                .map { try $0.decode(String.self) }
            #expect(texts == ["a", "b", "c"])
        }

        @Test func postgresNodesStartingTogetherMigrateOnce() async throws {
            let server = try PostgresTestServer.require()
            let database = try await server.makeDatabase()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in 0..<4 {
                    group.addTask {
                        try await PostgresStore.withStore(url: server.url(of: database), logger: .quietStore) { store in
                            try await store.saveSecret("\(node)", named: "node-\(node)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Each migration ran once: as many rows as the newest version's number.
            let row = try await server.execute("SELECT COUNT(*), MAX(version) FROM schema_version", in: database).first
            let (applied, newest) = try #require(try row?.decode((Int, Int).self))
            #expect(applied == newest && newest >= 3)
        }
    }
}
