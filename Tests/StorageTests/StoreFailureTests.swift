import Foundation
import GRDB
import Storage
import Testing
import WSECore

/// Failures of the database itself, provoked through a second, raw connection to the same file.
@Suite struct StoreFailureTests {
    @Test func aWriteBlockedPastTheBusyTimeoutSaysTheDatabaseIsLocked() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("wse.sqlite").path
            let store = try SQLiteStore(path: path, busyTimeout: .seconds(1))
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true  // the lock must outlive one access
            let other = try DatabaseQueue(path: path, configuration: configuration)
            try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            let error = await #expect(throws: StoreError.self) { try await store.saveSecret("v", named: "k") }
            #expect(error?.description.contains("save secret \"k\"") == true)
            #expect(error?.description.contains("locked by another connection or process past the busy timeout") == true)
            try await other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try await store.saveSecret("v", named: "k")
            #expect(try await store.secret(named: "k") == "v")
        }
    }

    @Test func aDamagedServiceRowIsAClearError() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("wse.sqlite").path
            let store = try SQLiteStore(path: path)
            try await store.save(ServiceDefinition(id: "contacts"))
            let other = try DatabaseQueue(path: path)
            try await other.write { db in try db.execute(sql: "UPDATE service SET definition = '{oops' WHERE id = 'contacts'") }
            let error = await #expect(throws: StoreError.self) { try await store.allServices() }
            #expect(error?.description.contains("service \"contacts\" is not valid") == true)
            #expect(try await store.deleteService(id: "contacts"))
            #expect(try await store.allServices().isEmpty)
        }
    }
}
