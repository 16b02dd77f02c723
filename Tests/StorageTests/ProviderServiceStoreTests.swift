import Storage
import Testing
import WSECore

extension StoreContractTests {
    /// A provider's save: the ownership check and the write are one step of the store.
    @Suite struct ProviderServiceStoreTests {
        static func weather(of provider: String?, endpoint: String = "http://127.0.0.1:18081") -> ServiceDefinition {
            var service = ServiceDefinition(id: "weather", endpoint: endpoint, connectorKey: "k1")
            service.provider = provider
            return service
        }

        @Test(arguments: StoreEngine.allCases) func onlyTheOwnerReplacesItsService(engine: StoreEngine) async throws {
            try await engine.withStore { store async throws in
                #expect(try await store.save(Self.weather(of: "acme"), ownedBy: "acme") == .created)
                #expect(try await store.save(Self.weather(of: "globex"), ownedBy: "globex") == .ownedByAnother)
                #expect(try await store.allServices() == [Self.weather(of: "acme")], "the refused save wrote nothing")
                let moved = Self.weather(of: "acme", endpoint: "http://127.0.0.1:18082")
                #expect(try await store.save(moved, ownedBy: "acme") == .replaced)
                #expect(try await store.allServices() == [moved])
            }
        }

        @Test(arguments: StoreEngine.allCases) func theOperatorsServiceIsNoProvidersToTake(engine: StoreEngine) async throws {
            try await engine.withStore { store async throws in
                try await store.save(Self.weather(of: nil))
                #expect(try await store.save(Self.weather(of: "acme"), ownedBy: "acme") == .ownedByAnother)
                #expect(try await store.allServices() == [Self.weather(of: nil)])
            }
        }

        @Test(arguments: StoreEngine.allCases) func ofProvidersCreatingTheSameIdAtOnceExactlyOneWins(engine: StoreEngine) async throws {
            let providers = (0..<8).map { "provider-\($0)" }
            try await engine.withStore { store async throws in
                let outcomes = try await withThrowingTaskGroup(of: (String, OwnedServiceSave).self) { group in
                    for provider in providers {
                        group.addTask { (provider, try await store.save(Self.weather(of: provider), ownedBy: provider)) }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
                let winners = outcomes.filter { $0.value == .created }.map(\.key)
                #expect(winners.count == 1, "\(outcomes)")
                #expect(outcomes.values.filter { $0 == .ownedByAnother }.count == providers.count - 1, "\(outcomes)")
                #expect(try await store.allServices().map(\.provider) == [winners.first], "the stored service is the winner's")
            }
        }
    }
}
