import Storage
import Testing
import WSECore

extension StoreContractTests {
    @Suite struct SubscriberStoreTests {
        @Test(arguments: StoreEngine.allCases) func savedSubscriberIsReadBackWithEveryField(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let alice = Subscriber(
                    username: "alice", passwordHash: "pbkdf2-sha256$210000$c2FsdA$aGFzaA", roles: ["subscriber", "admin"],
                    sipURI: "sip:alice@wse.test", sipAuthUser: "alice", sipRealm: "wse.test",
                    sipHA1: Subscriber.digestHA1(authUser: "alice", realm: "wse.test", password: "s3cret"))
                try await store.save(alice)
                #expect(try await store.subscriber(named: "alice") == alice)
            }
        }

        @Test(arguments: StoreEngine.allCases) func unknownSubscriberIsNil(engine: StoreEngine) async throws {
            try await engine.withStore { store async throws in
                #expect(try await store.subscriber(named: "nobody") == nil)
            }
        }

        @Test(arguments: StoreEngine.allCases) func savingTheSameUsernameReplacesTheSubscriber(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(Subscriber(username: "bob", passwordHash: "old", roles: ["subscriber"], sipURI: "sip:bob@x"))
                try await store.save(Subscriber(username: "bob", passwordHash: "new", roles: []))
                let bob = try #require(try await store.subscriber(named: "bob"))
                #expect(bob.passwordHash == "new")
                #expect(bob.roles.isEmpty)
                #expect(bob.sipURI == nil)
            }
        }

        @Test func theHA1IsRFC2617s() {
            // RFC 2617 §3.5's example: Mufasa, "testrealm@host.com", "Circle Of Life".
            #expect(Subscriber.digestHA1(authUser: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life") == "939e7578ed9e3c518a452acee763bce9")
        }

        @Test(arguments: StoreEngine.allCases) func aSecondSubscriberWithTheSameNameIsNotCreated(engine: StoreEngine) async throws {
            try await engine.withStore { store async throws in
                #expect(try await store.create(Subscriber(username: "dave", passwordHash: "first")))
                #expect(try await store.create(Subscriber(username: "dave", passwordHash: "second")) == false)
                #expect(try await store.subscriber(named: "dave")?.passwordHash == "first")
                #expect(try await store.allSubscribers().map(\.username) == ["dave"])
                #expect(try await store.deleteSubscriber(named: "dave"))
                #expect(try await store.deleteSubscriber(named: "dave") == false)
                #expect(try await store.subscriber(named: "dave") == nil)
            }
        }

        @Test(arguments: StoreEngine.allCases) func usernamesAreCaseSensitive(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(Subscriber(username: "carol", passwordHash: "h"))
                #expect(try await store.subscriber(named: "Carol") == nil)
            }
        }
    }
}
