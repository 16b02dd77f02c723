import PostgresNIO
import WSECore

extension PostgresStore: SubscriberStore {
    public func subscriber(named username: String) async throws(StoreError) -> Subscriber? {
        try await access("read subscriber \"\(username)\"") {
            let found = try await rows("SELECT password_hash, roles, sip_uri, sip_password FROM subscriber WHERE username = \(username)")
            guard let row = found.first else { return nil }
            let (passwordHash, roles, sipURI, sipPassword) = try row.decode((String, [String], String?, String?).self)
            return Subscriber(username: username, passwordHash: passwordHash, roles: roles, sipURI: sipURI, sipPassword: sipPassword)
        }
    }

    /// Creates the subscriber, or replaces the one with the same user name.
    public func save(_ subscriber: Subscriber) async throws(StoreError) {
        try await access("save subscriber \"\(subscriber.username)\"") {
            try await rows(
                """
                INSERT INTO subscriber (username, password_hash, roles, sip_uri, sip_password)
                VALUES (\(subscriber.username), \(subscriber.passwordHash), \(subscriber.roles), \(subscriber.sipURI), \(subscriber.sipPassword))
                ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, roles = EXCLUDED.roles,
                    sip_uri = EXCLUDED.sip_uri, sip_password = EXCLUDED.sip_password
                """, announcing: .subscriber(subscriber.username))
        }
    }
}
