import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import WSECore

/// Verifies bearer tokens for the connection manager: signature, `exp`, `aud` and `iss`.
///
/// Two modes: the node's own keys (`TokenIssuer.makeVerifier()`, or `init(jwks:policy:)` for keys
/// given in the configuration), or an external OIDC issuer whose JWKS is fetched over HTTP
/// (`init(external:)`). Every refusal is a precise `TokenError`.
public struct TokenVerifier: TokenVerifying {
    /// What a token must say to be accepted.
    public struct Policy: Sendable {
        /// The required `iss`, or nil to accept any issuer (the key already names it).
        public var issuer: String?
        /// The audience that `aud` must contain.
        public var audience: String
        /// Tolerated clock difference when checking `exp` and `nbf`.
        public var leeway: Duration
        /// Accepted `alg` header values; never `none` or a symmetric algorithm.
        public var algorithms: Set<String>
        public var now: @Sendable () -> Date

        public init(
            issuer: String?, audience: String, leeway: Duration = .zero, algorithms: Set<String> = Self.asymmetricAlgorithms,
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.issuer = issuer
            self.audience = audience
            self.leeway = leeway
            self.algorithms = algorithms.subtracting(["none", "HS256", "HS384", "HS512"])
            self.now = now
        }

        /// The signature algorithms OIDC providers use with public keys.
        public static let asymmetricAlgorithms: Set<String> = [
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
        ]
    }

    private let keys: any VerificationKeySource
    public let policy: Policy

    init(keys: any VerificationKeySource, policy: Policy) {
        self.keys = keys
        self.policy = policy
    }

    /// Trusts the keys of `jwks` (each needs a `kid`).
    /// - Throws: `.keysUnavailable` when a key cannot be used.
    public init(jwks: JWKS, policy: Policy) async throws(TokenError) {
        let collection = JWTKeyCollection()
        var kids = Set<String>()
        for jwk in jwks.keys {
            guard let kid = jwk.keyIdentifier?.string else { throw .keysUnavailable("a configured key has no kid") }
            do {
                try await collection.add(jwk: jwk)
            } catch {
                throw .keysUnavailable("configured key \(kid) cannot be used: \(error)")
            }
            kids.insert(kid)
        }
        self.init(keys: FixedKeySet(keys: collection, kids: kids), policy: policy)
    }

    /// Trusts an external OIDC issuer, fetching its keys from `external.jwksURL` when first needed.
    public init(
        external: ExternalIssuer, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "wse.identity"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            keys: RemoteKeySet(issuer: external, httpClient: httpClient, logger: logger),
            policy: Policy(issuer: external.issuer, audience: external.audience, leeway: external.leeway, now: now))
    }

    public func verify(token: String) async throws(TokenError) -> Principal {
        let header = try JOSEHeader(token: token)
        guard let alg = header.alg, policy.algorithms.contains(alg) else {
            throw .malformed("algorithm \"\(header.alg ?? "")\" is not accepted")
        }
        guard let kid = header.kid, !kid.isEmpty else { throw .malformed("the header names no key (kid)") }
        // An ID token, logout token or DPoP proof from the same issuer is signed by the same keys: refuse it.
        if let typ = header.typ, !Self.accessTokenTypes.contains(Self.mediaType(typ)) {
            throw .malformed("a token of type \"\(typ)\" is not an access token (JWT or at+jwt)")
        }
        let collection = try await keys.keys(holding: kid)
        let claims: AccessTokenClaims
        do {
            claims = try await collection.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw Self.tokenError(error)
        }
        return try check(claims)
    }

    /// The `typ` values of an access token: plain `JWT` or RFC 9068's `at+jwt` (case-insensitive).
    static let accessTokenTypes: Set<String> = ["jwt", "at+jwt"]

    /// `typ` as a media type in lower case, without the `application/` that RFC 7515 lets it omit.
    static func mediaType(_ typ: String) -> String {
        let lowered = typ.lowercased()
        return lowered.hasPrefix("application/") ? String(lowered.dropFirst("application/".count)) : lowered
    }

    private func check(_ claims: AccessTokenClaims) throws(TokenError) -> Principal {
        if let issuer = policy.issuer, claims.iss != issuer { throw .wrongIssuer }
        guard claims.aud.value.contains(policy.audience) else { throw .wrongAudience }
        let now = policy.now()
        let leeway = TimeInterval(policy.leeway.components.seconds)
        guard now.timeIntervalSince(claims.exp.date) < leeway else { throw .expired }
        if let notBefore = claims.nbf, notBefore.date.timeIntervalSince(now) > leeway {
            throw .malformed("the token is not valid yet (nbf)")
        }
        guard !claims.sub.isEmpty else { throw .malformed("the subject (sub) is empty") }
        return Principal(user: UserName(claims.sub), roles: Set(claims.roles ?? []), expiresAt: claims.exp.date, authorizedParty: claims.azp)
    }

    private static func tokenError(_ error: any Error) -> TokenError {
        guard let error = error as? JWTError else { return .malformed("\(error)") }
        if error.errorType == .signatureVerificationFailed { return .badSignature }
        return .malformed(error.reason ?? error.errorType.description)
    }
}
