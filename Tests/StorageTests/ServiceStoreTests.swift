import Storage
import Testing
import WSECore

extension StoreContractTests {
    @Suite struct ServiceStoreTests {
        static let contacts = ServiceDefinition(
            id: "contacts", endpoint: "http://127.0.0.1:18081", connectorKey: "k1",
            access: AccessRule(roles: ["subscriber"], retailers: ["shop"], users: ["alice"]),
            alternatives: ["contacts-backup"], capacity: 20, timeout: 2.5)
        static let eab = ServiceDefinition(id: "eab", kind: .composed, composition: "eab-v1")

        @Test(arguments: StoreEngine.allCases) func emptyStoreHasNoServices(engine: StoreEngine) async throws {
            try await engine.withStore { store async throws in
                #expect(try await store.allServices().isEmpty)
            }
        }

        @Test(arguments: StoreEngine.allCases) func savedServicesComeBackWholeAndOrderedById(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(Self.eab)
                try await store.save(Self.contacts)
                #expect(try await store.allServices() == [Self.contacts, Self.eab])
            }
        }

        @Test(arguments: StoreEngine.allCases) func savingTheSameIdReplacesTheService(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(Self.contacts)
                var changed = Self.contacts
                changed.capacity = nil
                changed.endpoint = "http://127.0.0.1:18082"
                try await store.save(changed)
                #expect(try await store.allServices() == [changed])
            }
        }

        @Test(arguments: StoreEngine.allCases) func deleteRemovesOnlyThatService(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(Self.contacts)
                try await store.save(Self.eab)
                #expect(try await store.deleteService(id: "contacts"))
                #expect(try await store.allServices() == [Self.eab])
            }
        }

        @Test(arguments: StoreEngine.allCases) func deletingAnUnknownServiceSaysFalse(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(Self.eab)
                #expect(try await store.deleteService(id: "nope") == false)
                #expect(try await store.allServices() == [Self.eab])
            }
        }
    }
}
