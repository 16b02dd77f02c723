import LocalServers
import Storage
import Testing
import WSETesting
import WSECore

extension StoreContractTests {
    /// PostgreSQL failures: each one a `StoreError` that names the database and says what to do.
    @Suite struct PostgresStoreFailureTests {
        @Test func aServerThatIsDownIsAClearErrorNamingTheURL() async throws {
            // A reserved port: bound, never listening, so the connection is refused.
            let nobody = try PortReservation()
            let url = "postgres://wse@127.0.0.1:\(nobody.port)/wse"
            let error = await #expect(throws: StoreError.self) {
                try await PostgresStore.withStore(url: url, logger: .quietStore) { _ in }
            }
            #expect(error?.description.contains("create or upgrade the schema in \(url): PostgreSQL is not reachable") == true)
            #expect(error?.description.contains("start it, or fix node.database") == true)
        }

        @Test func aMissingDatabaseSaysToCreateIt() async throws {
            let server = try PostgresTestServer.require()
            let error = await #expect(throws: StoreError.self) {
                try await PostgresStore.withStore(url: server.url(of: "nowhere"), logger: .quietStore) { _ in }
            }
            #expect(error?.description.contains("SQLSTATE 3D000") == true)
            #expect(error?.description.contains("create the database") == true)
        }

        @Test(arguments: [
            ("postgres://127.0.0.1/wse", "names no user"),
            ("postgres://wse@127.0.0.1", "names no database"),
            ("postgres://wse@/wse", "names no host"),
            ("postgres://wse@127.0.0.1/wse?sslmode=require", "options (after '?')"),
        ])
        func anIncompleteURLIsRefusedBeforeConnecting(url: String, complaint: String) async throws {
            let error = await #expect(throws: StoreError.self) {
                try await PostgresStore.withStore(url: url, logger: .quietStore) { _ in }
            }
            #expect(error?.description.contains(complaint) == true)
        }

        @Test func thePasswordNeverAppearsInMessages() async throws {
            let nobody = try PortReservation()
            let url = "postgres://wse:hunter2@127.0.0.1:\(nobody.port)/wse"
            let error = await #expect(throws: StoreError.self) {
                try await PostgresStore.withStore(url: url, logger: .quietStore) { _ in }
            }
            #expect(error?.description.contains("hunter2") == false)
            #expect(error?.description.contains("postgres://wse@127.0.0.1:") == true)
        }

        @Test func aDamagedServiceRowIsAClearError() async throws {
            let server = try PostgresTestServer.require()
            let database = try await server.makeDatabase()
            try await PostgresStore.withStore(url: server.url(of: database), logger: .quietStore) { store in
                try await store.save(ServiceDefinition(id: "contacts"))
                try await server.execute("UPDATE service SET definition = '{oops' WHERE id = 'contacts'", in: database)
                let error = await #expect(throws: StoreError.self) { try await store.allServices() }
                #expect(error?.description.contains("service \"contacts\" is not valid") == true)
                #expect(try await store.deleteService(id: "contacts"))
                #expect(try await store.allServices().isEmpty)
            }
        }
    }
}
