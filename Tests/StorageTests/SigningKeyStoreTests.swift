import Foundation
import Storage
import Testing
import WSECore

extension StoreContractTests {
    /// The identity proxy's key ring: keys added once, the signing ones retired by a newer key, dropped ones deleted.
    @Suite struct SigningKeyStoreTests {
        static let start = Date(timeIntervalSince1970: 1_800_000_000)

        static func key(_ kid: String, at offset: TimeInterval) -> StoredSigningKey {
            StoredSigningKey(kid: kid, privateKeyPEM: "pem of \(kid)", createdAt: start.addingTimeInterval(offset))
        }

        @Test(arguments: StoreEngine.allCases) func aKeyIsAddedOnceAndReadBackOldestFirst(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                #expect(try await store.signingKeys().isEmpty)
                try await store.addSigningKey(Self.key("b", at: 10), retiring: nil)
                try await store.addSigningKey(Self.key("a", at: 0), retiring: nil)
                var again = Self.key("a", at: 99)
                again.privateKeyPEM = "another"
                try await store.addSigningKey(again, retiring: nil)
                #expect(try await store.signingKeys() == [Self.key("a", at: 0), Self.key("b", at: 10)])
            }
        }

        @Test(arguments: StoreEngine.allCases) func aNewKeyRetiresTheSigningOnesAndDeletesTheDroppedOnes(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                try await store.addSigningKey(Self.key("first", at: 0), retiring: nil)
                let firstRetirement = KeyRetirement(at: Self.start.addingTimeInterval(100), verifiesUntil: Self.start.addingTimeInterval(3700))
                try await store.addSigningKey(Self.key("second", at: 100), retiring: firstRetirement)
                var retired = Self.key("first", at: 0)
                retired.retiredAt = firstRetirement.at
                retired.verifiesUntil = firstRetirement.verifiesUntil
                #expect(try await store.signingKeys() == [retired, Self.key("second", at: 100)])

                // Past the first key's end of verification: the next rotation deletes it.
                let secondRetirement = KeyRetirement(at: Self.start.addingTimeInterval(3700), verifiesUntil: Self.start.addingTimeInterval(7300))
                try await store.addSigningKey(Self.key("third", at: 3700), retiring: secondRetirement)
                var second = Self.key("second", at: 100)
                second.retiredAt = secondRetirement.at
                second.verifiesUntil = secondRetirement.verifiesUntil
                #expect(try await store.signingKeys() == [second, Self.key("third", at: 3700)])
            }
        }
    }
}
