import Storage
import Testing
import WSECore

extension StoreContractTests {
    @Suite struct SecretStoreTests {
        @Test(arguments: StoreEngine.allCases) func unknownSecretIsNil(engine: StoreEngine) async throws {
            try await engine.withStore { store async throws in
                #expect(try await store.secret(named: "idp.signing-key") == nil)
            }
        }

        @Test(arguments: StoreEngine.allCases) func savedSecretIsReadBackAndReplaced(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.saveSecret("first", named: "admin-token")
                #expect(try await store.secret(named: "admin-token") == "first")
                try await store.saveSecret("second", named: "admin-token")
                #expect(try await store.secret(named: "admin-token") == "second")
            }
        }

        @Test(arguments: StoreEngine.allCases) func secretsAreKeptApartByName(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.saveSecret("a", named: "one")
                try await store.saveSecret("b", named: "two")
                #expect(try await store.secret(named: "one") == "a")
                #expect(try await store.secret(named: "two") == "b")
            }
        }
    }
}
