import Foundation
@testable import Storage
import Testing
import WSECore
import WSETesting

extension StoreContractTests {
    /// The change feed: every write announced once it is committed; on PostgreSQL, to every node on the
    /// database, and again after the listening connection is lost.
    @Suite struct StoreChangeFeedTests {
        static let service = ServiceDefinition(
            id: "contacts", kind: .basic, endpoint: "http://127.0.0.1:9000", connectorKey: "k3y-0123456789-abcdefghij")

        @Test(arguments: StoreEngine.allCases) func everyWriteIsAnnouncedOnce(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let recorder = ChangeRecorder(store)
                try await Self.waitUntilListening(store)
                try await store.save(Self.service)
                _ = try await store.deleteService(id: "contacts")
                _ = try await store.saveComposition(id: "eab", source: "1")
                _ = try await store.deleteComposition(id: "eab")
                try await store.save(Subscriber(username: "alice", passwordHash: "x"))
                try await store.saveSecret("t", named: "admin-token")
                try await store.addSigningKey(StoredSigningKey(kid: "k1", privateKeyPEM: "pem", createdAt: Date()), retiring: nil)
                let expected: [StoreChange] = [
                    .service("contacts"), .service("contacts"), .composition("eab"), .composition("eab"), .subscriber("alice"),
                    .secret("admin-token"), .signingKeys,
                ]
                try await eventually("the feed reports the seven writes") { recorder.specificChanges.count >= expected.count }
                #expect(recorder.specificChanges == expected)
            }
        }

        @Test(arguments: StoreEngine.allCases) func eachSubscriberSeesTheChangesFromItsSubscriptionOn(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let recorder = ChangeRecorder(store)
                try await Self.waitUntilListening(store)
                try await store.save(Self.service)
                try await eventually("the first change arrives") { recorder.specificChanges == [.service("contacts")] }
                let late = ChangeRecorder(store)
                try await store.saveSecret("t", named: "after")
                try await eventually("both feeds report the secret") {
                    recorder.specificChanges.contains(.secret("after")) && late.specificChanges.contains(.secret("after"))
                }
                #expect(recorder.specificChanges == [.service("contacts"), .secret("after")])
                #expect(late.specificChanges == [.secret("after")])
            }
        }

        @Test func postgresAnnouncesAChangeToEveryStoreOnTheDatabaseOnceCommitted() async throws {
            let server = try PostgresTestServer.require()
            let url = server.url(of: try await server.makeDatabase())
            try await PostgresStore.withStore(url: url, logger: .quietStore) { first in
                try await PostgresStore.withStore(url: url, logger: .quietStore) { second in
                    let recorder = ChangeRecorder(first)
                    try await eventually("the first store listens") { first.isListeningForChanges }
                    try await second.save(Self.service)
                    _ = try await second.saveComposition(id: "eab", source: "1")
                    try await eventually("the other store's changes arrive within a second", within: .seconds(1)) {
                        recorder.specificChanges == [.service("contacts"), .composition("eab")]
                    }
                }
            }
        }

        @Test func postgresListensAgainAfterItsConnectionIsKilledAndAsksForAFullRefresh() async throws {
            let server = try PostgresTestServer.require()
            let database = try await server.makeDatabase()
            try await PostgresStore.withStore(url: server.url(of: database), logger: .quietStore) { store in
                let recorder = ChangeRecorder(store)
                try await eventually("the store listens") { store.isListeningForChanges }
                let before = recorder.changes.filter { $0 == .everything }.count
                let killed = try await server.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)' AND query LIKE 'LISTEN%'",
                    in: "postgres")
                #expect(killed.count == 1, "one listening backend")
                try await eventually("the store listens again and asks for a full refresh") {
                    recorder.changes.filter { $0 == .everything }.count > before && store.isListeningForChanges
                }
                try await store.save(Self.service)
                try await eventually("changes arrive again") { recorder.specificChanges == [.service("contacts")] }
            }
        }

        @Test func listeningAgainBacksOffOnlyWhileItFails() {
            let backoff = PostgresChangeListener.Backoff()
            let pauses = (0...8).map { backoff.pause(afterFailures: $0) }
            #expect(pauses == [.zero, .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                               .milliseconds(1600), .milliseconds(3200), .seconds(5), .seconds(5)])
        }

        @Test func unknownNotificationsAskForAFullRefresh() {
            #expect(StoreChange(notificationPayload: "service:a") == .service("a"))
            #expect(StoreChange(notificationPayload: "composition:x:y") == .composition("x:y"))
            #expect(StoreChange(notificationPayload: "signing-keys") == .signingKeys)
            #expect(StoreChange(notificationPayload: "from-a-newer-wse:1") == .everything)
        }

        /// A PostgreSQL store hears of its own writes only once it listens; SQLite announces them at once.
        static func waitUntilListening(_ store: any StoreUnderTest) async throws {
            guard let postgres = store as? PostgresStore else { return }
            try await eventually("the store listens") { postgres.isListeningForChanges }
        }
    }
}
