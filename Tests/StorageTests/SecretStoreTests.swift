import Storage
import Testing
import WSECore

@Suite struct SecretStoreTests {
    @Test func unknownSecretIsNil() async throws {
        #expect(try await SQLiteStore.inMemory().secret(named: "idp.signing-key") == nil)
    }

    @Test func savedSecretIsReadBackAndReplaced() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.saveSecret("first", named: "admin-token")
        #expect(try await store.secret(named: "admin-token") == "first")
        try await store.saveSecret("second", named: "admin-token")
        #expect(try await store.secret(named: "admin-token") == "second")
    }

    @Test func secretsAreKeptApartByName() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.saveSecret("a", named: "one")
        try await store.saveSecret("b", named: "two")
        #expect(try await store.secret(named: "one") == "a")
        #expect(try await store.secret(named: "two") == "b")
    }
}
