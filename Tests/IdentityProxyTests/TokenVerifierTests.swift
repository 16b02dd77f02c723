import Foundation
import JWTKit
import Testing
import WSETesting
import WSECore
@testable import IdentityProxy
import IdentityProxyTesting

/// The node's own keys: every way a token can be refused.
@Suite struct TokenVerifierTests {
    static func kit(clock: ManualClock = ManualClock()) async throws -> IdentityTestKit {
        try await IdentityTestKit.make(
            roles: ["subscriber", "admin"], configuration: .init(issuer: "https://wse.test", audience: "wse", now: clock.date))
    }

    @Test func aValidTokenNamesTheSubscriberRolesAndExpiry() async throws {
        let clock = ManualClock()
        let kit = try await Self.kit(clock: clock)
        let principal = try await kit.verifier.verify(token: kit.token())
        #expect(principal.user == "alice")
        #expect(principal.roles == ["subscriber", "admin"])
        #expect(principal.expiresAt == clock.nowDate.addingTimeInterval(3600))
        #expect(principal.retailer == nil)
    }

    @Test func aTokenIsExpiredFromItsExpirySecondOn() async throws {
        let clock = ManualClock()
        let kit = try await Self.kit(clock: clock)
        let token = try await kit.token()
        clock.advance(by: .seconds(3599))
        #expect(try await kit.verifier.verify(token: token).user == "alice")
        clock.advance(by: .seconds(1))
        await #expect(throws: TokenError.expired) { try await kit.verifier.verify(token: token) }
    }

    @Test func aTokenForAnotherAudienceIsRefused() async throws {
        let kit = try await Self.kit()
        // Same store, so the same key: only the audience differs.
        let other = try await TokenIssuer(
            subscribers: kit.store, secrets: kit.store, configuration: .init(issuer: "https://wse.test", audience: "someone-else", now: kit.issuer.configuration.now))
        let token = try await other.issueToken(for: kit.subscriber).accessToken
        await #expect(throws: TokenError.wrongAudience) { try await kit.verifier.verify(token: token) }
    }

    @Test func aTokenFromAnotherIssuerNameIsRefused() async throws {
        let kit = try await Self.kit()
        let other = try await TokenIssuer(
            subscribers: kit.store, secrets: kit.store, configuration: .init(issuer: "https://evil.test", audience: "wse", now: kit.issuer.configuration.now))
        let token = try await other.issueToken(for: kit.subscriber).accessToken
        await #expect(throws: TokenError.wrongIssuer) { try await kit.verifier.verify(token: token) }
    }

    @Test func aChangedPayloadBreaksTheSignature() async throws {
        let kit = try await Self.kit()
        let token = try await kit.token()
        let forged = replacingPayload(
            of: token, with: #"{"sub":"mallory","roles":["admin"],"aud":"wse","iss":"https://wse.test","exp":4000000000}"#)
        await #expect(throws: TokenError.badSignature) { try await kit.verifier.verify(token: forged) }
    }

    @Test func aTokenSignedByAnUnknownKeyIsRefused() async throws {
        let kit = try await Self.kit()
        let stranger = try await Self.kit()  // another store, another key
        await #expect(throws: TokenError.badSignature) { try await kit.verifier.verify(token: stranger.token()) }
    }

    @Test func anotherKeyUnderOurKidIsRefused() async throws {
        let kit = try await Self.kit()
        let stranger = try await Self.kit()
        var parts = try await stranger.token().split(separator: ".").map(String.init)
        parts[0] = Base64URL.encode(Array(#"{"alg":"ES256","kid":"\#(kit.issuer.signingKey.kid)","typ":"JWT"}"#.utf8))
        await #expect(throws: TokenError.badSignature) { try await kit.verifier.verify(token: parts.joined(separator: ".")) }
    }

    @Test(arguments: [
        ("", "three non-empty parts"),
        ("abc", "three non-empty parts"),
        ("a.b", "three non-empty parts"),
        ("a..c", "three non-empty parts"),
        ("!!.e30.AQID", "not base64url"),
        ("bm90LWpzb24.e30.AQID", "not a JSON object"),
    ])
    func malformedTokensSayWhy(token: String, reason: String) async throws {
        let kit = try await Self.kit()
        do {
            _ = try await kit.verifier.verify(token: token)
            Issue.record("expected a refusal")
        } catch {
            guard case .malformed(let why) = error else { throw error }
            #expect(why.contains(reason))
        }
    }

    @Test func unsignedAndSymmetricAlgorithmsAreRefused() async throws {
        let kit = try await Self.kit()
        let kid = kit.issuer.signingKey.kid
        for alg in ["none", "HS256"] {
            let token = unsignedToken(header: #"{"alg":"\#(alg)","kid":"\#(kid)"}"#, payload: #"{"sub":"alice","aud":"wse","exp":4000000000}"#)
            await #expect(throws: TokenError.malformed("algorithm \"\(alg)\" is not accepted")) { try await kit.verifier.verify(token: token) }
        }
    }

    @Test func aTokenWithoutKidIsRefused() async throws {
        let kit = try await Self.kit()
        let token = unsignedToken(header: #"{"alg":"ES256"}"#, payload: #"{"sub":"alice"}"#)
        await #expect(throws: TokenError.malformed("the header names no key (kid)")) { try await kit.verifier.verify(token: token) }
    }

    @Test func keysGivenAsAJWKSVerifyLikeTheIssuersOwn() async throws {
        let kit = try await Self.kit()
        let verifier = try await TokenVerifier(jwks: kit.issuer.jwks, policy: .init(issuer: "https://wse.test", audience: "wse"))
        #expect(try await verifier.verify(token: kit.token()).user == "alice")
        let stranger = try await Self.kit()
        await #expect(throws: TokenError.badSignature) { try await verifier.verify(token: stranger.token()) }
    }

    @Test func aConfiguredKeyWithoutKidIsRefused() async throws {
        let kit = try await Self.kit()
        var jwk = try #require(kit.issuer.jwks.keys.first)
        jwk.keyIdentifier = nil
        await #expect(throws: TokenError.keysUnavailable("a configured key has no kid")) {
            try await TokenVerifier(jwks: JWKS(keys: [jwk]), policy: .init(issuer: nil, audience: "wse"))
        }
    }
}
