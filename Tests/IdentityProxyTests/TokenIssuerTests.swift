import Foundation
import Storage
import Testing
import WSETesting
import WSECore
@testable import IdentityProxy
import IdentityProxyTesting

@Suite struct TokenIssuerTests {
    static func issuer(
        store: InMemoryIdentityStore = InMemoryIdentityStore(), clock: ManualClock = ManualClock(),
        loginLimits: LoginLimits = .init()
    ) async throws -> TokenIssuer {
        try await store.save(Subscriber(username: "alice", passwordHash: PasswordHasher().hash("pw"), roles: ["subscriber", "vip"]))
        return try await TokenIssuer(
            subscribers: store, secrets: store,
            configuration: .init(issuer: "https://wse.test", audience: "wse", loginLimits: loginLimits, now: clock.date))
    }

    @Test func loginIssuesAnES256TokenWithWholeSecondClaims() async throws {
        let clock = ManualClock()
        let issuer = try await Self.issuer(clock: clock)
        let issued = try await issuer.login(username: "alice", password: "pw")
        #expect(issued.tokenType == "Bearer")
        #expect(issued.expiresIn == 3600)
        let header = try decodedPart(issued.accessToken, 0)
        #expect(header["alg"] as? String == "ES256")
        #expect(header["kid"] as? String == issuer.signingKey.kid)
        let claims = try decodedPart(issued.accessToken, 1)
        #expect(claims["sub"] as? String == "alice")
        #expect(claims["roles"] as? [String] == ["subscriber", "vip"])
        #expect(claims["aud"] as? String == "wse")
        #expect(claims["iss"] as? String == "https://wse.test")
        // Whole seconds in the JSON text itself (pitfall 9).
        let payloadText = String(decoding: Base64URL.decode(String(issued.accessToken.split(separator: ".")[1]))!, as: UTF8.self)
        #expect(payloadText.contains("\"iat\":1800000000"))
        #expect(payloadText.contains("\"exp\":1800003600"))
    }

    @Test func wrongPasswordAndUnknownUserGetTheSameAnswer() async throws {
        let issuer = try await Self.issuer()
        await #expect(throws: LoginError.invalidCredentials) { try await issuer.login(username: "alice", password: "nope") }
        await #expect(throws: LoginError.invalidCredentials) { try await issuer.login(username: "mallory", password: "pw") }
    }

    @Test func aFailingStoreMakesLoginUnavailable() async throws {
        let secrets = InMemoryIdentityStore()
        let issuer = try await TokenIssuer(subscribers: FailingSubscriberStore(), secrets: secrets)
        await #expect(throws: LoginError.unavailable("disk on fire")) { try await issuer.login(username: "alice", password: "pw") }
    }

    @Test func theSigningKeyIsStoredAsPEMAndReusedAfterARestart() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.save(Subscriber(username: "alice", passwordHash: PasswordHasher().hash("pw")))
        let first = try await TokenIssuer(subscribers: store, secrets: store)
        let pem = try #require(try await store.secret(named: SigningKey.defaultSecretName))
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let token = try await first.login(username: "alice", password: "pw").accessToken

        let restarted = try await TokenIssuer(subscribers: store, secrets: store)
        #expect(restarted.signingKey.kid == first.signingKey.kid)
        #expect(try await restarted.makeVerifier().verify(token: token).user == "alice")
        #expect(try await store.secret(named: SigningKey.defaultSecretName) == pem)
    }

    @Test func separateStoresHaveSeparateKeys() async throws {
        let one = try await Self.issuer()
        let two = try await Self.issuer()
        #expect(one.signingKey.kid != two.signingKey.kid)
    }

    @Test func aDamagedStoredKeyIsAClearError() async throws {
        let store = InMemoryIdentityStore()
        try await store.saveSecret("not a key", named: SigningKey.defaultSecretName)
        let error = await #expect(throws: StoreError.self) { try await TokenIssuer(subscribers: store, secrets: store) }
        #expect(error?.description.contains("delete it to have a new key generated") == true)
    }

    @Test func theJWKSPublishesOnlyThePublicKey() async throws {
        let issuer = try await Self.issuer()
        let jwk = try #require(issuer.jwks.keys.first)
        #expect(issuer.jwks.keys.count == 1)
        #expect(jwk.keyIdentifier?.string == issuer.signingKey.kid)
        #expect(jwk.x != nil && jwk.y != nil)
        #expect(jwk.privateExponent == nil)
    }

    @Test func theTestKitGivesAWorkingIssuerAndVerifier() async throws {
        let kit = try await IdentityTestKit.make(username: "dave", password: "pw")
        #expect(try await kit.verifier.verify(token: kit.token()).user == "dave")
        #expect(try await kit.issuer.login(username: "dave", password: "pw").expiresIn == 3600)
        await #expect(throws: TokenError.expired) {
            try await kit.verifier.verify(token: kit.token(issuedAt: Date(timeIntervalSinceNow: -7200)))
        }
    }
}
