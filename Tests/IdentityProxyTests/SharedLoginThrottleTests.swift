import Foundation
import Testing
import WSECore
import WSETesting
@testable import IdentityProxy

/// The cluster's login limits, over a store fake: the rules of `LoginThrottle`, counted in the store.
@Suite struct SharedLoginThrottleTests {
    /// Counters in memory, one update at a time, as the PostgreSQL rows would be.
    actor CounterStore: LoginCounterStore {
        private var pairs: [String: (Int, Date?)] = [:]
        private var addresses: [String: (Double, Date?)] = [:]
        private(set) var updates = 0

        func updateLoginCounters<Result: Sendable>(
            user: String, client: String?, _ change: @Sendable (inout LoginCounters) -> Result
        ) async throws(StoreError) -> Result {
            updates += 1
            let pairKey = user + "|" + (client ?? "")
            let pair = pairs[pairKey] ?? (0, nil)
            let address = client.flatMap { addresses[$0] } ?? (0, nil)
            var counters = LoginCounters(pairFailures: pair.0, pairLastUpdate: pair.1, addressLevel: address.0, addressLastUpdate: address.1)
            let result = change(&counters)
            pairs[pairKey] = counters.pairFailures > 0 ? (counters.pairFailures, counters.pairLastUpdate) : nil
            if let client { addresses[client] = counters.addressLevel > 0 ? (counters.addressLevel, counters.addressLastUpdate) : nil }
            return result
        }

        func forgetLoginCounters(updatedBefore cutoff: Date) async throws(StoreError) {}
    }

    static let client = IPAddress("203.0.113.9")

    static func throttle(_ store: CounterStore, limits: LoginLimits = .init(), clock: ManualClock) -> SharedLoginThrottle {
        SharedLoginThrottle(store: store, limits: limits, now: clock.date, logger: .init(label: "test"))
    }

    @Test func twoNodesCountTheSameFailures() async throws {
        let store = CounterStore()
        let clock = ManualClock()
        let nodeA = Self.throttle(store, clock: clock)
        let nodeB = Self.throttle(store, clock: clock)
        for node in [nodeA, nodeB, nodeA] {
            await node.settle(try await node.admit(user: "alice", client: Self.client), as: .failed)
        }
        await #expect(throws: LoginError.rateLimited(retryAfter: .seconds(1))) { try await nodeB.admit(user: "alice", client: Self.client) }
        clock.advance(by: .seconds(1))
        let ticket = try await nodeB.admit(user: "alice", client: Self.client)
        await nodeB.settle(ticket, as: .succeeded)
        // The success cleared the pair for both nodes.
        await nodeA.settle(try await nodeA.admit(user: "alice", client: Self.client), as: .failed)
    }

    @Test func concurrentTriesSeeEachOther() async throws {
        let store = CounterStore()
        let throttle = Self.throttle(store, clock: ManualClock())
        let refused = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do {
                        _ = try await throttle.admit(user: "alice", client: Self.client)
                        return false
                    } catch {
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(refused == 3, "only the free failures are admitted")
    }

    @Test func aFullNodeIsBusyWithoutAskingTheStore() async throws {
        let store = CounterStore()
        let throttle = Self.throttle(store, limits: .init(maxPendingHashes: 1), clock: ManualClock())
        let first = try await throttle.admit(user: "u1", client: nil)
        await #expect(throws: LoginError.busy(retryAfter: .seconds(1))) { try await throttle.admit(user: "u2", client: nil) }
        #expect(await store.updates == 1)
        await throttle.settle(first, as: .notChecked)
        _ = try await throttle.admit(user: "u2", client: nil)
    }
}
