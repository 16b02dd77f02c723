import WSEApp
import IdentityProxy
import WSECore

/// The subscribers of `wse demo` (PROTOCOL.md, demo contract): alice, bob and carol, password `demo`.
public enum DemoSubscribers {
    public static let usernames = ["alice", "bob", "carol"]
    /// Demo only: never use a shared password outside the demo.
    public static let password = "demo"
    public static let roles = ["subscriber"]

    /// Saves the three subscribers (replacing any of the same name) with freshly salted hashes, or
    /// all with `passwordHash` when one is given (a hash of `password` made earlier).
    public static func seed(into store: some SubscriberStore, hasher: PasswordHasher = .init(), passwordHash: String? = nil) async throws {
        try await withThrowingTaskGroup(of: Subscriber.self) { group in
            for username in usernames {
                group.addTask {
                    let hash = if let passwordHash { passwordHash } else { try await hasher.hash(password) }
                    return Subscriber(username: username, passwordHash: hash, roles: roles)
                }
            }
            for try await subscriber in group { try await store.save(subscriber) }
        }
    }
}
