import Foundation
import WSECore

/// Subscribers, secrets and signing keys held in memory: for tests of other components and throw-away
/// nodes that need an identity proxy but no database (the node itself uses the Storage component).
public actor InMemoryIdentityStore: SubscriberStore, SecretStore, SigningKeyStore {
    private var subscribers: [String: Subscriber] = [:]
    private var secrets: [String: String] = [:]
    private var keys: [StoredSigningKey] = []

    public init() {}

    public func subscriber(named username: String) async throws(StoreError) -> Subscriber? { subscribers[username] }
    public func save(_ subscriber: Subscriber) async throws(StoreError) { subscribers[subscriber.username] = subscriber }
    public func secret(named name: String) async throws(StoreError) -> String? { secrets[name] }
    public func saveSecret(_ value: String, named name: String) async throws(StoreError) { secrets[name] = value }
    public func signingKeys() async throws(StoreError) -> [StoredSigningKey] { keys }

    public func addSigningKey(_ key: StoredSigningKey, retiring: KeyRetirement?) async throws(StoreError) {
        if let retiring {
            for index in keys.indices where keys[index].retiredAt == nil && keys[index].kid != key.kid {
                keys[index].retiredAt = retiring.at
                keys[index].verifiesUntil = retiring.verifiesUntil
            }
            keys.removeAll { $0.verifiesUntil.map { $0 <= retiring.at } ?? false }
        }
        if !keys.contains(where: { $0.kid == key.kid }) { keys.append(key) }
    }
}
