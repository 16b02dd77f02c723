import Foundation
@testable import Storage
import Testing
import WSECore
import WSETesting

extension StoreContractTests {
    /// Providers, retailers and the audit log: saved with their audit entry, announced, found by key hash and client id.
    @Suite struct PartyStoreTests {
        static let created = Date(timeIntervalSince1970: 1_700_000_000)

        static func audit(_ action: String, _ target: String, second: TimeInterval = 0) -> AuditEntry {
            AuditEntry(at: created.addingTimeInterval(second), actor: "admin", action: action, target: target, detail: "d \(target)")
        }

        @Test(arguments: StoreEngine.allCases) func aProviderIsFoundByIdAndByKeyHashAndUpdatedInPlace(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let acme = ProviderAccount(id: "acme", name: "ACME", keyHash: ProviderAccount.hash(key: "pk_1"), createdAt: Self.created)
                try await store.save(acme, audit: Self.audit("provider.create", "acme"))
                #expect(try await store.provider(id: "acme") == acme)
                #expect(try await store.provider(keyHash: ProviderAccount.hash(key: "pk_1")) == acme)
                #expect(try await store.provider(keyHash: ProviderAccount.hash(key: "pk_2")) == nil)
                var renamed = acme
                renamed.name = "ACME Ltd"
                try await store.save(renamed, audit: Self.audit("provider.update", "acme", second: 1))
                #expect(try await store.providers() == [renamed])
            }
        }

        @Test(arguments: StoreEngine.allCases) func aRetailerIsFoundByClientIdWithItsOrigins(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let shop = RetailerAccount(id: "shop", name: "Shop", origins: ["https://shop.example", "http://127.0.0.1:8081"], clientID: "rc_shop")
                try await store.save(shop, audit: Self.audit("retailer.create", "shop"))
                #expect(try await store.retailer(clientID: "rc_shop") == shop)
                #expect(try await store.retailer(clientID: "rc_other") == nil)
                #expect(try await store.retailers() == [shop])
            }
        }

        @Test(arguments: StoreEngine.allCases) func twoRetailersCannotShareAClientId(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(RetailerAccount(id: "a", name: "A", origins: [], clientID: "rc_same"), audit: Self.audit("retailer.create", "a"))
                await #expect(throws: StoreError.self) {
                    try await store.save(RetailerAccount(id: "b", name: "B", origins: [], clientID: "rc_same"), audit: Self.audit("retailer.create", "b"))
                }
                #expect(try await store.retailers().map(\.id) == ["a"], "the failed save left no retailer and no audit entry")
                #expect(try await store.auditEntries(limit: 10).map(\.target) == ["a"])
            }
        }

        @Test(arguments: StoreEngine.allCases) func theAuditLogListsEveryChangeNewestFirst(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.save(
                    ProviderAccount(id: "acme", name: "ACME", keyHash: "h", createdAt: Self.created), audit: Self.audit("provider.create", "acme"))
                try await store.save(RetailerAccount(id: "shop", name: "Shop", origins: [], clientID: "rc"), audit: Self.audit("retailer.create", "shop", second: 1))
                try await store.record(Self.audit("service.put", "weather", second: 2))
                let entries = try await store.auditEntries(limit: 10)
                #expect(entries == [Self.audit("service.put", "weather", second: 2), Self.audit("retailer.create", "shop", second: 1), Self.audit("provider.create", "acme")])
                #expect(try await store.auditEntries(limit: 1).map(\.action) == ["service.put"])
            }
        }

        @Test(arguments: StoreEngine.allCases) func providerAndRetailerChangesAreAnnounced(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let recorder = ChangeRecorder(store)
                try await StoreChangeFeedTests.waitUntilListening(store)
                try await store.save(
                    ProviderAccount(id: "acme", name: "ACME", keyHash: "h", createdAt: Self.created), audit: Self.audit("provider.create", "acme"))
                try await store.save(RetailerAccount(id: "shop", name: "Shop", origins: [], clientID: "rc"), audit: Self.audit("retailer.create", "shop"))
                try await eventually("both changes are reported") { recorder.specificChanges.count >= 2 }
                #expect(recorder.specificChanges == [.provider("acme"), .retailer("shop")])
            }
        }

        @Test func partyNotificationsNameTheParty() {
            #expect(StoreChange(notificationPayload: StoreChange.provider("acme").notificationPayload) == .provider("acme"))
            #expect(StoreChange(notificationPayload: StoreChange.retailer("shop").notificationPayload) == .retailer("shop"))
        }
    }
}
