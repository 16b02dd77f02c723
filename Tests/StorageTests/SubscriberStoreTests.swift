import Storage
import Testing
import WSECore

@Suite struct SubscriberStoreTests {
    @Test func savedSubscriberIsReadBackWithEveryField() async throws {
        let store = try SQLiteStore.inMemory()
        let alice = Subscriber(
            username: "alice", passwordHash: "pbkdf2-sha256$210000$c2FsdA$aGFzaA", roles: ["subscriber", "admin"],
            sipURI: "sip:alice@wse.test", sipPassword: "s3cret")
        try await store.save(alice)
        #expect(try await store.subscriber(named: "alice") == alice)
    }

    @Test func unknownSubscriberIsNil() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.subscriber(named: "nobody") == nil)
    }

    @Test func savingTheSameUsernameReplacesTheSubscriber() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.save(Subscriber(username: "bob", passwordHash: "old", roles: ["subscriber"], sipURI: "sip:bob@x"))
        try await store.save(Subscriber(username: "bob", passwordHash: "new", roles: []))
        let bob = try #require(try await store.subscriber(named: "bob"))
        #expect(bob.passwordHash == "new")
        #expect(bob.roles.isEmpty)
        #expect(bob.sipURI == nil)
    }

    @Test func usernamesAreCaseSensitive() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.save(Subscriber(username: "carol", passwordHash: "h"))
        #expect(try await store.subscriber(named: "Carol") == nil)
    }
}
