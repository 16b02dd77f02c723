import Testing
import WSECore
import WSETesting

@testable import Mediator

@Suite("Service registry")
struct ServiceRegistryTests {
    func registry(_ services: [ServiceDefinition] = []) async throws -> (ServiceRegistry, FakeServiceStore) {
        let store = FakeServiceStore(services)
        let registry = ServiceRegistry(store: store, configuration: MediatorConfiguration(callbackURL: "http://127.0.0.1:1/cb"))
        try await registry.load()
        return (registry, store)
    }

    @Test("invalid definitions are refused with the reason", arguments: [
        (ServiceDefinition(id: "bad id", endpoint: "http://127.0.0.1:1", connectorKey: "k"), "service id"),
        (ServiceDefinition(id: "-x", endpoint: "http://127.0.0.1:1", connectorKey: "k"), "service id"),
        (ServiceDefinition(id: ServiceID(String(repeating: "a", count: 65)), endpoint: "http://127.0.0.1:1", connectorKey: "k"), "service id"),
        (ServiceDefinition(id: "x", connectorKey: "k"), "needs an \"endpoint\""),
        (ServiceDefinition(id: "x", endpoint: "ftp://127.0.0.1", connectorKey: "k"), "http(s) URL"),
        (ServiceDefinition(id: "x", endpoint: "not a url", connectorKey: "k"), "http(s) URL"),
        (ServiceDefinition(id: "x", endpoint: "http://127.0.0.1:1"), "needs a \"connectorKey\""),
        (ServiceDefinition(id: "x", endpoint: "http://127.0.0.1:1", connectorKey: ""), "needs a \"connectorKey\""),
        (ServiceDefinition(id: "x", endpoint: "http://127.0.0.1:1", connectorKey: "k3y-0f-23-characters-xx"), "too weak"),
        (ServiceDefinition(id: "x", endpoint: "http://127.0.0.1:1", connectorKey: String(repeating: "ab12", count: 10)), "too weak"),
        (ServiceDefinition(id: "x", kind: .composed, composition: ""), "empty \"composition\""),
        (ServiceDefinition(id: "x", kind: .composed, capacity: 0), "capacity"),
        (ServiceDefinition(id: "x", kind: .composed, timeout: 0), "timeout"),
        (ServiceDefinition(id: "x", kind: .composed, alternatives: ["ghost"]), "not a registered service"),
        (ServiceDefinition(id: "x", kind: .composed, alternatives: ["x"]), "its own alternative"),
        (ServiceDefinition(id: "x", kind: .composed, alternatives: ["a", "a"]), "listed twice"),
    ])
    func invalid(service: ServiceDefinition, reason: String) async throws {
        let (registry, store) = try await registry([.composed("a")])
        do {
            try await registry.put(service)
            Issue.record("\(service) was accepted")
        } catch {
            guard case .invalid(let why) = error else {
                Issue.record("expected invalid, got \(error)")
                return
            }
            #expect(why.contains(reason), "\(why)")
        }
        #expect(await registry.get(service.id) == nil)
        #expect(await store.services[service.id] == nil)
    }

    @Test("put creates, persists and replaces; list and get see it")
    func putAndReplace() async throws {
        let (registry, store) = try await registry()
        #expect(try await registry.put(.basic("contacts")) == true)
        var changed = ServiceDefinition.basic("contacts", capacity: 5)
        changed.timeout = 4
        #expect(try await registry.put(changed) == false)
        #expect(await registry.get("contacts") == changed)
        #expect(await store.services["contacts"] == changed)
        #expect(await registry.list().map(\.id) == ["contacts"])
        #expect(registry.connector(forKey: "key-contacts-0123456789abcdefghij")?.services == ["contacts"])
    }

    @Test("a replaced key no longer opens connector IN")
    func keyRotation() async throws {
        let (registry, _) = try await registry([.basic("contacts", key: "old-key-0123456789abcdefghij")])
        try await registry.put(.basic("contacts", key: "new-key-0123456789abcdefghij"))
        #expect(registry.connector(forKey: "old-key-0123456789abcdefghij") == nil)
        #expect(registry.connector(forKey: "new-key-0123456789abcdefghij")?.services == ["contacts"])
    }

    @Test("a change that closes a cycle of alternatives is refused")
    func cycle() async throws {
        let (registry, _) = try await registry([.basic("a"), .basic("b", alternatives: ["a"]), .basic("c", alternatives: ["b"])])
        await #expect(throws: RegistryError.invalid("alternatives form a cycle: a -> c -> b -> a")) {
            try await registry.put(.basic("a", alternatives: ["c"]))
        }
        #expect(await registry.get("a")?.alternatives == [])
    }

    @Test("delete: unknown is notFound, an alternative in use is inUse, otherwise gone from store and keys")
    func delete() async throws {
        let (registry, store) = try await registry([.basic("a"), .basic("b", alternatives: ["a"])])
        await #expect(throws: RegistryError.notFound("zzz")) { try await registry.delete("zzz") }
        await #expect(throws: RegistryError.inUse("service \"a\" is an alternative of \"b\"; change that service first")) {
            try await registry.delete("a")
        }
        try await registry.delete("b")
        try await registry.delete("a")
        #expect(await registry.list().isEmpty)
        #expect(await store.services.isEmpty)
        #expect(registry.connector(forKey: "key-a-0123456789abcdefghij") == nil)
    }

    @Test("a store failure changes nothing")
    func storeFailure() async throws {
        let (registry, store) = try await registry([.basic("a")])
        await store.setFailing(true)
        await #expect(throws: RegistryError.store("disk on fire")) { try await registry.put(.basic("b")) }
        await #expect(throws: RegistryError.store("disk on fire")) { try await registry.put(.basic("a", capacity: 3)) }
        await #expect(throws: RegistryError.store("disk on fire")) { try await registry.delete("a") }
        #expect(await registry.list() == [.basic("a")])
        #expect(registry.connector(forKey: "key-a-0123456789abcdefghij") != nil)
    }

    @Test("a failed store write rolls back only its own change, not a concurrent one")
    func failedWriteKeepsConcurrentChange() async throws {
        let (registry, store) = try await registry([.basic("a", capacity: 1)])
        await store.holdSaves()
        let failing = Task { try await registry.put(.basic("a", capacity: 2)) }
        try await eventually("the first write held") { await store.heldSaves.count == 1 }
        let succeeding = Task { try await registry.put(.basic("a", capacity: 3)) }
        // The second change has gone as far as the registry lets it while the first write is pending.
        try await eventually("the second change under way") {
            let installed = await registry.get("a")?.capacity == 3
            let waiting = await registry.waitingChanges.count == 1
            return installed || waiting
        }
        await store.releaseSave(failing: true)
        await #expect(throws: RegistryError.store("disk on fire")) { try await failing.value }
        try await eventually("the second write held") { await store.heldSaves.count == 1 }
        await store.releaseSave(failing: false)
        _ = try await succeeding.value
        #expect(await registry.get("a") == .basic("a", capacity: 3))
        #expect(await store.services["a"] == .basic("a", capacity: 3))
    }

    @Test("load skips invalid stored services and those whose alternative was skipped")
    func loadSkipsInvalid() async throws {
        let store = FakeServiceStore([
            .basic("good"), ServiceDefinition(id: "broken", endpoint: nil, connectorKey: "k"),
            .basic("leans-on-broken", alternatives: ["broken"]), .basic("leans-on-good", alternatives: ["good"]),
        ])
        let registry = ServiceRegistry(store: store, configuration: MediatorConfiguration(callbackURL: "http://127.0.0.1:1/cb"))
        let rejected = try await registry.load()
        #expect(Set(rejected.map(\.id)) == ["broken", "leans-on-broken"])
        #expect(await registry.list().map(\.id) == ["good", "leans-on-good"])
    }

    @Test("status reports capacity, circuit and counters")
    func status() async throws {
        let (registry, _) = try await registry([.basic("a", capacity: 2)])
        let status = try #require(await registry.status(of: "a"))
        #expect(status == ServiceStatus(
            id: "a", kind: .basic, inFlight: 0, capacity: 2, circuit: .closed, consecutiveFailures: 0, requests: 0, pushes: 0,
            errors: [:], meanLatencyMilliseconds: nil))
        #expect(await registry.status().count == 1)
    }
}
