import WSECore

/// Subscribers and secrets held in memory: for tests of other components and throw-away nodes
/// that need an identity proxy but no database (the node itself uses the Storage component).
public actor InMemoryIdentityStore: SubscriberStore, SecretStore {
    private var subscribers: [String: Subscriber] = [:]
    private var secrets: [String: String] = [:]

    public init() {}

    public func subscriber(named username: String) async throws(StoreError) -> Subscriber? { subscribers[username] }
    public func save(_ subscriber: Subscriber) async throws(StoreError) { subscribers[subscriber.username] = subscriber }
    public func secret(named name: String) async throws(StoreError) -> String? { secrets[name] }
    public func saveSecret(_ value: String, named name: String) async throws(StoreError) { secrets[name] = value }
}
