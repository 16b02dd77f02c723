import Testing
import WSECore
import WSETesting

@testable import Mediator

/// `load` again after a change another node made: the registry then holds exactly the stored services.
@Suite("Service registry refresh")
struct RegistryRefreshTests {
    static func registry(_ services: [ServiceDefinition]) async throws -> (ServiceRegistry, FakeServiceStore) {
        let store = FakeServiceStore(services)
        let registry = ServiceRegistry(store: store, configuration: MediatorConfiguration(callbackURL: "http://127.0.0.1:1/cb"))
        try await registry.load()
        return (registry, store)
    }

    @Test func aRefreshAddsReplacesAndRemovesAsStoredAndKeepsTheLiveState() async throws {
        let (registry, store) = try await Self.registry([.basic("contacts", capacity: 5), .basic("location")])
        guard case .success = await registry.admit("contacts", for: .alice) else {
            Issue.record("contacts was not admitted")
            return
        }
        // Another node changes the store: contacts replaced (new key), location deleted, weather added.
        var replaced = ServiceDefinition.basic("contacts", key: "another-key-0123456789abcdef", capacity: 5)
        replaced.timeout = 5
        try await store.save(replaced)
        _ = try await store.deleteService(id: "location")
        try await store.save(.basic("weather"))

        #expect(try await registry.load().isEmpty)
        #expect(await registry.list().map(\.id) == ["contacts", "weather"])
        #expect(await registry.get("contacts") == replaced)
        #expect(await registry.status(of: "contacts")?.inFlight == 1, "the call in flight is still counted")
        #expect(registry.connector(forKey: "key-contacts-0123456789abcdefghij") == nil, "the old key is retired at connector IN")
        #expect(registry.connector(forKey: "another-key-0123456789abcdef")?.services == ["contacts"])
    }

    @Test func aStoreThatFailsChangesNothing() async throws {
        let (registry, store) = try await Self.registry([.basic("contacts")])
        await store.setFailing(true)
        await #expect(throws: StoreError.self) { try await registry.load() }
        #expect(await registry.list().map(\.id) == ["contacts"])
    }
}
