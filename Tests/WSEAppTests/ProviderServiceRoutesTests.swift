import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Mediator
import Storage
import Testing
import WSECore
@testable import WSEApp

/// `PUT /provider/v1/services/{id}`: the ownership check and the write are one step of the store, so that two
/// nodes on one database, neither knowing yet of the other's new service, cannot both give an id to their provider.
@Suite struct ProviderServiceRoutesTests {
    static let weather = #"{"id":"weather","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef","timeout":1}"#

    /// One node's provider routes: its own registry, read from the shared store now.
    static func node(on store: SQLiteStore) async throws -> some ApplicationProtocol {
        let registry = ServiceRegistry(store: store, configuration: MediatorConfiguration(callbackURL: "http://127.0.0.1:9/connector/in/v1/events"))
        try await registry.load()
        let router = Router()
        let usage = UsageRoutes(store: store, recorder: UsageRecorder(store: store, logger: Logger(label: "test")))
        ProviderServiceRoutes(registry: registry, store: store, usage: usage).addRoutes(to: router)
        return Application(router: router)
    }

    static func put(_ body: String, key: String, on node: some ApplicationProtocol) async throws -> (HTTPResponse.Status, String) {
        try await node.test(.router) { client in
            try await client.execute(
                uri: "/provider/v1/services/weather", method: .put, headers: [.authorization: "Bearer \(key)"], body: ByteBuffer(string: body)
            ) { ($0.status, String(buffer: $0.body)) }
        }
    }

    @Test func ofTwoNodesGivingOneNewIdToTwoProvidersTheSecondIsRefused() async throws {
        let store = try SQLiteStore.inMemory()
        for provider in ["acme", "globex"] {
            try await store.save(
                ProviderAccount(id: provider, name: provider, keyHash: ProviderAccount.hash(key: "pk_\(provider)"), createdAt: Date()),
                audit: AuditEntry(at: Date(), actor: "admin", action: "provider.put", target: provider, detail: ""))
        }
        // Both nodes read the services before either change: neither knows of the other's.
        let first = try await Self.node(on: store)
        let second = try await Self.node(on: store)
        #expect(try await Self.put(Self.weather, key: "pk_acme", on: first).0 == .created)
        let (status, body) = try await Self.put(Self.weather, key: "pk_globex", on: second)
        #expect(status == .forbidden && body.contains(#""code":"forbidden""#), "\(body)")
        #expect(try await store.allServices().map(\.provider) == ["acme"], "acme's service is untouched")
        #expect(try await Self.put(Self.weather, key: "pk_acme", on: second).0 == .ok, "its owner still changes it through either node")
    }
}
