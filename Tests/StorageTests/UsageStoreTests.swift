import Foundation
import Storage
import Testing
import WSECore

extension StoreContractTests {
    /// Usage records: appended in batches, read back newest first, filtered by party and period.
    @Suite struct UsageStoreTests {
        static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

        static func record(_ user: String, retailer: String?, provider: String?, service: String, minute: Double) -> UsageRecord {
            UsageRecord(
                user: user, retailer: retailer, provider: provider, service: service, action: "go", pid: "p\(Int(minute))",
                start: t0.addingTimeInterval(minute * 60), end: t0.addingTimeInterval(minute * 60 + 1.5), outcome: "done", events: Int(minute),
                bytes: 10 * Int(minute))
        }

        static let records = [
            record("alice", retailer: "shop", provider: "acme", service: "weather", minute: 0),
            record("bob", retailer: nil, provider: nil, service: "contacts", minute: 1),
            record("alice", retailer: nil, provider: nil, service: "contacts", minute: 2),
            record("carol", retailer: "shop", provider: "acme", service: "weather", minute: 3),
        ]

        @Test(arguments: StoreEngine.allCases) func recordsAreReadBackNewestFirstWithEveryField(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.appendUsage(Self.records)
                #expect(try await store.usage(matching: UsageQuery()) == Self.records.reversed())
                #expect(try await store.usage(matching: UsageQuery(limit: 1)) == [Self.records[3]])
            }
        }

        @Test(arguments: StoreEngine.allCases) func everyFilterNarrowsTheRecords(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.appendUsage(Self.records)
                #expect(try await store.usage(matching: UsageQuery(user: "alice")).map(\.pid) == ["p2", "p0"])
                #expect(try await store.usage(matching: UsageQuery(retailer: "shop")).map(\.pid) == ["p3", "p0"])
                #expect(try await store.usage(matching: UsageQuery(provider: "acme", service: "weather")).map(\.pid) == ["p3", "p0"])
                #expect(try await store.usage(matching: UsageQuery(service: "contacts")).map(\.pid) == ["p2", "p1"])
                let period = UsageQuery(from: Self.t0.addingTimeInterval(60), to: Self.t0.addingTimeInterval(180))
                #expect(try await store.usage(matching: period).map(\.pid) == ["p2", "p1"], "from inclusive, to exclusive")
                #expect(try await store.usage(matching: UsageQuery(user: "alice", provider: "acme")).map(\.pid) == ["p0"])
            }
        }

        /// What the mediator records for an unsolicited push to a user: no pid, no action, no retailer.
        @Test(arguments: StoreEngine.allCases) func aUserPushWithoutPidOrActionIsKeptWhole(engine: StoreEngine) async throws {
            let push = UsageRecord(
                user: "alice", retailer: nil, provider: "acme", service: "sip", action: "", pid: "", start: Self.t0, end: Self.t0,
                outcome: "pushed", events: 2, bytes: 36)
            try await engine.withStore { store in
                try await store.appendUsage([push])
                #expect(try await store.usage(matching: UsageQuery(provider: "acme")) == [push])
                #expect(try await store.usage(matching: UsageQuery(user: "alice", service: "sip")) == [push])
            }
        }
    }
}
