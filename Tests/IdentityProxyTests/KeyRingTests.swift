import Foundation
import IdentityProxyTesting
import Testing
import WSECore
import WSETesting
@testable import IdentityProxy

/// The signing key ring: rotation, verification of tokens signed by a retired key, and its retirement
/// once the longest token lifetime has passed (on a clock the test moves).
@Suite struct KeyRingTests {
    static func issuer(
        store: InMemoryIdentityStore, clock: ManualClock, tokenLifetime: Duration = .seconds(3600)
    ) async throws -> TokenIssuer {
        try await store.save(Subscriber(username: "alice", passwordHash: "unused", roles: ["subscriber"]))
        return try await TokenIssuer(
            subscribers: store, secrets: store, configuration: .init(tokenLifetime: tokenLifetime, now: clock.date))
    }

    static func kid(of token: String) throws -> String? {
        try decodedPart(token, 0)["kid"] as? String
    }

    @Test func theFirstStartStoresOneKeyTheSecretOfAnEarlierWSEIsKept() async throws {
        let store = InMemoryIdentityStore()
        let legacy = try await SigningKey.loadOrCreate(in: store)
        let issuer = try await Self.issuer(store: store, clock: ManualClock())
        #expect(issuer.signingKey.kid == legacy.kid, "a node upgraded from a single stored key keeps signing with it")
        #expect(try await store.signingKeys().map(\.kid) == [legacy.kid])
    }

    @Test func aRotatedRingSignsWithTheNewKeyAndStillVerifiesTheOldOnesTokens() async throws {
        let clock = ManualClock()
        let store = InMemoryIdentityStore()
        let issuer = try await Self.issuer(store: store, clock: clock)
        let verifier = issuer.makeVerifier()
        let alice = Subscriber(username: "alice", passwordHash: "unused", roles: ["subscriber"])
        let oldKid = issuer.signingKey.kid
        let oldToken = try await issuer.issueToken(for: alice).accessToken

        clock.advance(by: .seconds(600))
        let rotated = try await SigningKeyRing.rotate(in: store, tokenLifetime: .seconds(3600), now: clock.nowDate)
        #expect(issuer.signingKey.kid == oldKid, "the ring in memory changes only when reloaded")
        try await issuer.reloadKeys()

        #expect(issuer.signingKey.kid == rotated.kid && rotated.kid != oldKid)
        let newToken = try await issuer.issueToken(for: alice).accessToken
        #expect(try Self.kid(of: newToken) == rotated.kid)
        #expect(try await verifier.verify(token: newToken).user == "alice")
        #expect(try await verifier.verify(token: oldToken).user == "alice", "a token of the retired key still verifies")
        #expect(Set(issuer.jwks.keys.compactMap(\.keyIdentifier?.string)) == [oldKid, rotated.kid])
    }

    @Test func aRetiredKeyIsDroppedOnceTheLongestTokenLifetimeHasPassed() async throws {
        let clock = ManualClock()
        let store = InMemoryIdentityStore()
        // Two nodes on one store: one issues tokens for two hours, the other for one; the rotation says one hour.
        let longLived = try await Self.issuer(store: store, clock: clock, tokenLifetime: .seconds(7200))
        let shortLived = try await Self.issuer(store: store, clock: clock, tokenLifetime: .seconds(3600))
        let alice = Subscriber(username: "alice", passwordHash: "unused", roles: ["subscriber"])
        let oldKid = longLived.signingKey.kid
        let token = try await longLived.issueToken(for: alice).accessToken
        try await SigningKeyRing.rotate(in: store, tokenLifetime: .seconds(3600), now: clock.nowDate)
        try await longLived.reloadKeys()
        try await shortLived.reloadKeys()

        clock.advance(by: .seconds(3599))
        #expect(try await shortLived.makeVerifier().verify(token: token).user == "alice")
        clock.advance(by: .seconds(1))
        await #expect(throws: TokenError.badSignature, "dropped after the rotation's lifetime, without a reload") {
            try await shortLived.makeVerifier().verify(token: token)
        }
        #expect(!shortLived.jwks.keys.contains { $0.keyIdentifier?.string == oldKid })
        // A node whose own tokens live longer keeps the key for them.
        #expect(try await longLived.makeVerifier().verify(token: token).user == "alice")
        #expect(longLived.jwks.keys.contains { $0.keyIdentifier?.string == oldKid })
        clock.advance(by: .seconds(3600))
        #expect(!longLived.jwks.keys.contains { $0.keyIdentifier?.string == oldKid })

        // The next rotation deletes the keys whose stored time is over.
        let third = try await SigningKeyRing.rotate(in: store, tokenLifetime: .seconds(3600), now: clock.nowDate)
        #expect(try await store.signingKeys().map(\.kid) == [longLived.signingKey.kid, third.kid])
    }

    @Test func keysAreListedWithoutTheirPrivateHalf() async throws {
        let clock = ManualClock()
        let store = InMemoryIdentityStore()
        let issuer = try await Self.issuer(store: store, clock: clock)
        let first = issuer.signingKey.kid
        clock.advance(by: .seconds(60))
        let second = try await SigningKeyRing.rotate(in: store, tokenLifetime: .seconds(3600), now: clock.nowDate)
        let listed = try await SigningKeyRing.list(in: store, now: clock.nowDate)
        #expect(listed.map(\.kid) == [first, second.kid])
        #expect(listed[0].retiredAt == clock.nowDate && listed[0].verifiesUntil == clock.nowDate.addingTimeInterval(3600))
        #expect(listed[1].retiredAt == nil && listed[1].verifiesUntil == nil)
        #expect(!"\(listed)".contains("PRIVATE KEY"))
    }
}
