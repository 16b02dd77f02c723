import IdentityProxy
import Storage
import Testing
import WSEApp
import WSECore

/// `wse subscribers` and the admin API share `SubscriberAdministrator`: hashes only, duplicates refused.
@Suite struct SubscriberAdministratorTests {
    static let hasher = PasswordHasher(iterations: PasswordHasher.minimumIterations)

    @Test func addListChangeAndRemove() async throws {
        let store = try SQLiteStore.inMemory()
        let administrator = SubscriberAdministrator(store: store, hasher: Self.hasher)
        try await administrator.add(username: "dave", password: "pw", sip: .init(uri: "sip:dave@ims.example;transport=tcp", password: "sip-pw"))
        let dave = try #require(try await store.subscriber(named: "dave"))
        #expect(dave.sipAuthUser == "dave" && dave.sipRealm == "ims.example")
        #expect(dave.sipHA1 == Subscriber.digestHA1(authUser: "dave", realm: "ims.example", password: "sip-pw"))
        #expect(try await Self.hasher.verify("pw", against: dave.passwordHash))

        await #expect(throws: SubscriberAdministrator.Failure.self) { try await administrator.add(username: "dave", password: "other") }
        let duplicate = await #expect(throws: SubscriberAdministrator.Failure.self) { try await administrator.add(username: "dave", password: "x") }
        #expect(duplicate?.description.contains("exists already") == true)

        try await administrator.change(username: "dave", password: "n3w", sip: .init(uri: "sip:d@ims.example", authUser: "impi-d", realm: "r", password: "p2"))
        let changed = try #require(try await store.subscriber(named: "dave"))
        #expect(try await Self.hasher.verify("n3w", against: changed.passwordHash))
        #expect(changed.sipHA1 == Subscriber.digestHA1(authUser: "impi-d", realm: "r", password: "p2"))

        let table = SubscriberAdministrator.table(try await administrator.list())
        #expect(table.contains("dave") && table.contains("impi-d") && !table.contains(changed.sipHA1 ?? "?"), "\(table)")
        try await administrator.remove(username: "dave")
        await #expect(throws: SubscriberAdministrator.Failure.self) { try await administrator.remove(username: "dave") }
    }
}
