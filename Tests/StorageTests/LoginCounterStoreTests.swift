import Foundation
import Storage
import Testing
import WSECore
import WSETesting

extension StoreContractTests {
    /// The login counters a cluster shares (PostgreSQL only; a SQLite node counts in memory).
    @Suite struct LoginCounterStoreTests {
        static let start = Date(timeIntervalSince1970: 1_800_000_000)

        static func withStore(_ body: (PostgresStore) async throws -> Void) async throws {
            let server = try PostgresTestServer.require()
            try await PostgresStore.withStore(url: server.url(of: try await server.makeDatabase()), logger: .quietStore, body)
        }

        @Test func countersAreReadChangedAndKeptPerPairAndAddress() async throws {
            try await Self.withStore { store in
                let empty = try await store.updateLoginCounters(user: "alice", client: "192.0.2.1") { counters in
                    let seen = counters
                    counters = LoginCounters(pairFailures: 2, pairLastUpdate: Self.start, addressLevel: 1.5, addressLastUpdate: Self.start)
                    return seen
                }
                #expect(empty == LoginCounters())
                let stored = try await store.updateLoginCounters(user: "alice", client: "192.0.2.1") { $0 }
                #expect(stored == LoginCounters(pairFailures: 2, pairLastUpdate: Self.start, addressLevel: 1.5, addressLastUpdate: Self.start))
                // Another user from the same address shares its budget, not its pair.
                let other = try await store.updateLoginCounters(user: "bob", client: "192.0.2.1") { $0 }
                #expect(other == LoginCounters(addressLevel: 1.5, addressLastUpdate: Self.start))
                // The unknown client has pairs and no address.
                let unknown = try await store.updateLoginCounters(user: "alice", client: nil) { $0 }
                #expect(unknown == LoginCounters())
            }
        }

        @Test func concurrentUpdatesTakeTurns() async throws {
            try await Self.withStore { store in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<20 {
                        group.addTask {
                            try await store.updateLoginCounters(user: "alice", client: "192.0.2.1") { counters in
                                counters.pairFailures += 1
                                counters.pairLastUpdate = Self.start
                                counters.addressLevel += 1
                                counters.addressLastUpdate = Self.start
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let counted = try await store.updateLoginCounters(user: "alice", client: "192.0.2.1") { $0 }
                #expect(counted.pairFailures == 20 && counted.addressLevel == 20)
            }
        }

        @Test func clearedAndOldCountersAreDeleted() async throws {
            try await Self.withStore { store in
                for (user, offset) in [("old", 0.0), ("new", 100.0)] {
                    try await store.updateLoginCounters(user: user, client: user) { counters in
                        counters = LoginCounters(
                            pairFailures: 1, pairLastUpdate: Self.start.addingTimeInterval(offset), addressLevel: 1,
                            addressLastUpdate: Self.start.addingTimeInterval(offset))
                    }
                }
                try await store.forgetLoginCounters(updatedBefore: Self.start.addingTimeInterval(50))
                #expect(try await store.updateLoginCounters(user: "old", client: "old") { $0 } == LoginCounters())
                #expect(try await store.updateLoginCounters(user: "new", client: "new") { $0 }.pairFailures == 1)

                // A pair cleared to no failures (a success) is deleted.
                try await store.updateLoginCounters(user: "new", client: "new") { counters in
                    counters.pairFailures = 0
                    counters.addressLevel = 0
                }
                #expect(try await store.updateLoginCounters(user: "new", client: "new") { $0 } == LoginCounters())
            }
        }
    }
}
