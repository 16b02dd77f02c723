import WSECore

/// The subscribers of `wse demo` (PROTOCOL.md, demo contract): alice, bob and carol, password `demo`.
public enum DemoSubscribers {
    public static let usernames = ["alice", "bob", "carol"]
    /// Demo only: never use a shared password outside the demo.
    public static let password = "demo"
    public static let roles = ["subscriber"]

    /// Saves the three subscribers (replacing any of the same name) with freshly salted hashes.
    public static func seed(into store: some SubscriberStore, hasher: PasswordHasher = .init()) async throws {
        try await withThrowingTaskGroup(of: Subscriber.self) { group in
            for username in usernames {
                group.addTask { Subscriber(username: username, passwordHash: try await hasher.hash(password), roles: roles) }
            }
            for try await subscriber in group { try await store.save(subscriber) }
        }
    }
}
