import PostgresNIO
import WSECore

extension PostgresStore: SubscriberAdministration {
    private static let columns = "username, password_hash, roles, sip_uri, sip_auth_user, sip_realm, sip_ha1"

    public func subscriber(named username: String) async throws(StoreError) -> Subscriber? {
        try await access("read subscriber \"\(username)\"") {
            try await rows(PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM subscriber WHERE username = $1", binds: Self.binding(username)))
                .first.map(Self.subscriber(from:))
        }
    }

    /// Creates the subscriber, or replaces the one with the same user name.
    public func save(_ subscriber: Subscriber) async throws(StoreError) {
        try await access("save subscriber \"\(subscriber.username)\"") {
            try await rows(
                """
                INSERT INTO subscriber (username, password_hash, roles, sip_uri, sip_auth_user, sip_realm, sip_ha1)
                VALUES (\(subscriber.username), \(subscriber.passwordHash), \(subscriber.roles), \(subscriber.sipURI),
                    \(subscriber.sipAuthUser), \(subscriber.sipRealm), \(subscriber.sipHA1))
                ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, roles = EXCLUDED.roles,
                    sip_uri = EXCLUDED.sip_uri, sip_auth_user = EXCLUDED.sip_auth_user, sip_realm = EXCLUDED.sip_realm,
                    sip_ha1 = EXCLUDED.sip_ha1, sip_password = NULL
                """, announcing: .subscriber(subscriber.username))
        }
    }

    public func allSubscribers() async throws(StoreError) -> [Subscriber] {
        try await access("read the subscribers") {
            try await rows(PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM subscriber ORDER BY username COLLATE \"C\""))
                .map(Self.subscriber(from:))
        }
    }

    public func create(_ subscriber: Subscriber) async throws(StoreError) -> Bool {
        try await access("create subscriber \"\(subscriber.username)\"") {
            try await !rows(
                """
                INSERT INTO subscriber (username, password_hash, roles, sip_uri, sip_auth_user, sip_realm, sip_ha1)
                VALUES (\(subscriber.username), \(subscriber.passwordHash), \(subscriber.roles), \(subscriber.sipURI),
                    \(subscriber.sipAuthUser), \(subscriber.sipRealm), \(subscriber.sipHA1))
                ON CONFLICT (username) DO NOTHING RETURNING username
                """, announcing: .subscriber(subscriber.username)
            ).isEmpty
        }
    }

    public func deleteSubscriber(named username: String) async throws(StoreError) -> Bool {
        try await access("delete subscriber \"\(username)\"") {
            try await !rows("DELETE FROM subscriber WHERE username = \(username) RETURNING username", announcing: .subscriber(username)).isEmpty
        }
    }

    private static func binding(_ value: String) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(value)
        return bindings
    }

    private static func subscriber(from row: PostgresRow) throws -> Subscriber {
        let (username, passwordHash, roles, sipURI, authUser, realm, ha1) = try row.decode(
            (String, String, [String], String?, String?, String?, String?).self)
        return Subscriber(
            username: username, passwordHash: passwordHash, roles: roles, sipURI: sipURI, sipAuthUser: authUser, sipRealm: realm, sipHA1: ha1)
    }
}
