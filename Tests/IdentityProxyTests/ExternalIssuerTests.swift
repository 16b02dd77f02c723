import Foundation
import Testing
import WSECore
@testable import IdentityProxy

/// Tokens from an external OIDC provider whose JWKS is served by a real HTTP server on loopback.
@Suite struct ExternalIssuerTests {
    static let issuerName = "https://login.operator.test/realms/wse"

    static func verifier(
        _ url: String, minimumRefetchInterval: Duration = .zero, cacheLifetime: Duration = .seconds(3600),
        fetchTimeout: Duration = .seconds(5)
    ) -> TokenVerifier {
        TokenVerifier(external: ExternalIssuer(
            issuer: issuerName, audience: "wse-client", jwksURL: url, leeway: .seconds(30),
            cacheLifetime: cacheLifetime, minimumRefetchInterval: minimumRefetchInterval, fetchTimeout: fetchTimeout))
    }

    static func claims(sub: String = "alice", aud: String = "wse-client", iss: String = issuerName, expiresIn: Int = 300) -> ProviderClaims {
        ProviderClaims(sub: sub, aud: aud, iss: iss, exp: Int(Date().timeIntervalSince1970) + expiresIn, roles: nil)
    }

    @Test func aTokenSignedByTheProvidersKeyIsAccepted() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        try server.serve([provider.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url)
            let principal = try await verifier.verify(token: provider.sign(Self.claims()))
            #expect(principal.user == "alice")
            #expect(principal.roles.isEmpty)
            _ = try await verifier.verify(token: provider.sign(Self.claims(sub: "bob")))
            #expect(server.fetches == 1, "keys are cached between verifications")
        }
    }

    @Test func onlyAccessTokenTypesAreAccepted() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        try server.serve([provider.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url)
            for typ in [nil, "JWT", "at+jwt", "application/at+jwt"] {
                let principal = try await verifier.verify(token: provider.sign(Self.claims(), typ: typ))
                #expect(principal.user == "alice", "typ \(typ ?? "absent")")
            }
            for typ in ["dpop+jwt", "logout+jwt", "JOSE"] {
                await #expect(throws: TokenError.self, "typ \(typ)") { try await verifier.verify(token: provider.sign(Self.claims(), typ: typ)) }
            }
        }
    }

    @Test func concurrentFirstVerificationsShareOneFetch() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        try server.serve([provider.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url)
            let token = try await provider.sign(Self.claims())
            try await withThrowingTaskGroup(of: UserName.self) { group in
                for _ in 0..<10 { group.addTask { try await verifier.verify(token: token).user } }
                for try await user in group { #expect(user == "alice") }
            }
            #expect(server.fetches == 1)
        }
    }

    @Test func theProvidersClaimsAreChecked() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        try server.serve([provider.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url)
            await #expect(throws: TokenError.wrongAudience) { try await verifier.verify(token: provider.sign(Self.claims(aud: "other"))) }
            await #expect(throws: TokenError.wrongIssuer) { try await verifier.verify(token: provider.sign(Self.claims(iss: "https://evil.test"))) }
            await #expect(throws: TokenError.expired) { try await verifier.verify(token: provider.sign(Self.claims(expiresIn: -31))) }
            // Within the 30 s leeway for the provider's clock.
            let withinLeeway = try await provider.sign(Self.claims(expiresIn: -10))
            #expect(try await verifier.verify(token: withinLeeway).user == "alice")
        }
    }

    @Test func aSignedTokenWithoutSubjectIsMalformed() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        try server.serve([provider.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url)
            let token = try await provider.sign(Self.claims(sub: ""))
            await #expect(throws: TokenError.malformed("the subject (sub) is empty")) { try await verifier.verify(token: token) }
        }
    }

    @Test func anUnknownKidTriggersARefetchThatPicksUpARotatedKey() async throws {
        let old = ProviderKey(kid: "2026-01")
        let new = ProviderKey(kid: "2026-02")
        let server = JWKSServer()
        try server.serve([old.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url)
            #expect(try await verifier.verify(token: old.sign(Self.claims())).user == "alice")
            try server.serve([old.jwk, new.jwk])
            #expect(try await verifier.verify(token: new.sign(Self.claims(sub: "bob"))).user == "bob")
            #expect(server.fetches == 2)
        }
    }

    @Test func unknownKidsRefetchNoMoreOftenThanTheMinimumInterval() async throws {
        let known = ProviderKey(kid: "known")
        let stranger = ProviderKey(kid: "stranger")
        let server = JWKSServer()
        try server.serve([known.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url, minimumRefetchInterval: .seconds(3600))
            _ = try await verifier.verify(token: known.sign(Self.claims()))
            for _ in 0..<5 {
                await #expect(throws: TokenError.badSignature) { try await verifier.verify(token: stranger.sign(Self.claims())) }
            }
            #expect(server.fetches == 1)
        }
    }

    @Test func aKeyTheProviderDoesNotPublishIsRefusedAfterOneRefetch() async throws {
        let published = ProviderKey(kid: "published")
        let forger = ProviderKey(kid: "forged")
        let server = JWKSServer()
        try server.serve([published.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url)
            await #expect(throws: TokenError.badSignature) { try await verifier.verify(token: forger.sign(Self.claims())) }
            #expect(server.fetches == 1)
        }
    }

    @Test func aProviderAnsweringAnErrorMakesKeysUnavailable() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        server.fail(.serviceUnavailable)
        try await server.run { url in
            let verifier = Self.verifier(url)
            await #expect { try await verifier.verify(token: provider.sign(Self.claims())) } throws: { error in
                guard case TokenError.keysUnavailable(let why) = error else { return false }
                return why.contains("answered 503")
            }
        }
    }

    @Test func aProviderServingGarbageMakesKeysUnavailable() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        server.fail(.ok, body: "<html>login</html>")
        try await server.run { url in
            await #expect { try await Self.verifier(url).verify(token: provider.sign(Self.claims())) } throws: { error in
                guard case TokenError.keysUnavailable(let why) = error else { return false }
                return why.contains("is not a JWKS document")
            }
        }
    }

    @Test func anUnreachableProviderMakesKeysUnavailable() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        let closedURL = try await server.run { url in url }  // the server is stopped when run returns
        let verifier = Self.verifier(closedURL, fetchTimeout: .seconds(1))
        await #expect { try await verifier.verify(token: provider.sign(Self.claims())) } throws: { error in
            guard case TokenError.keysUnavailable(let why) = error else { return false }
            return why.contains("failed")
        }
    }

    @Test func knownKeysKeepWorkingWhileTheProviderIsDown() async throws {
        let provider = ProviderKey(kid: "provider-1")
        let server = JWKSServer()
        try server.serve([provider.jwk])
        try await server.run { url in
            let verifier = Self.verifier(url, cacheLifetime: .zero)
            _ = try await verifier.verify(token: provider.sign(Self.claims()))
            server.fail(.internalServerError)
            #expect(try await verifier.verify(token: provider.sign(Self.claims(sub: "bob"))).user == "bob")
            #expect(server.fetches == 2, "the stale cache was refreshed, and the failure tolerated")
        }
    }
}
