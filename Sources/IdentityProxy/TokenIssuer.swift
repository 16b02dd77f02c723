import Foundation
import JWTKit
import Logging
import WSECore

/// The node's identity proxy: checks a subscriber's password and issues an ES256 access token
/// (`sub`, `roles`, `aud`, `iss`, `exp`, `iat`; `kid` in the header), and publishes the public keys.
///
/// Create one per node with `TokenIssuer(subscribers:secrets:)`: the signing keys are the store's key ring
/// (shared by every node on the store), made on the very first start. `reloadKeys()` reads the ring again
/// after a rotation. Serve it over HTTP with `IdentityRoutes`, and verify its tokens with `makeVerifier()`.
public final class TokenIssuer: Sendable {
    public let configuration: IdentityConfiguration
    let subscribers: any SubscriberStore
    let hasher: PasswordHasher
    let throttle: any LoginThrottling
    let logger: Logger
    private let keyStore: any SigningKeyStore & SecretStore
    private let ring: KeyRingHolder
    /// Checked when the user is unknown, so that the answer takes as long as for a wrong password.
    private let decoyHash: String

    /// - Parameter loginCounters: where a cluster keeps the login limits' counts (so that they hold across
    ///   nodes); nil counts in this node's memory.
    public init(
        subscribers: any SubscriberStore, secrets: some SigningKeyStore & SecretStore, configuration: IdentityConfiguration = .init(),
        hasher: PasswordHasher = .init(), loginCounters: (any LoginCounterStore)? = nil, logger: Logger = Logger(label: "wse.identity")
    ) async throws(StoreError) {
        self.configuration = configuration
        self.subscribers = subscribers
        self.hasher = hasher
        self.logger = logger
        keyStore = secrets
        ring = KeyRingHolder(try await Self.loadRing(from: secrets, configuration: configuration))
        throttle =
            if let loginCounters {
                SharedLoginThrottle(store: loginCounters, limits: configuration.loginLimits, now: configuration.now, logger: logger)
            } else {
                LoginThrottle(limits: configuration.loginLimits, now: configuration.now)
            }
        decoyHash = EncodedPasswordHash(
            iterations: hasher.iterations, salt: [UInt8](repeating: 0, count: 16),
            hash: [UInt8](repeating: 0, count: EncodedPasswordHash.hashLength)
        ).encoded
    }

    /// The key that signs new tokens.
    public var signingKey: SigningKey { ring.ring.signing }

    /// The public keys that verify this issuer's tokens (the signing key and the retired keys that still
    /// verify), as served at `/idp/jwks.json`.
    public var jwks: JWKS { ring.ring.jwks(at: configuration.now()) }

    /// Reads the key ring again (after `wse keys rotate`, or when changes may have been missed); until it
    /// returns, the previous ring signs and verifies. On failure the previous ring stays.
    public func reloadKeys() async throws(StoreError) {
        try await ring.reload { () throws(StoreError) in try await Self.loadRing(from: keyStore, configuration: configuration) }
    }

    private static func loadRing(
        from store: some SigningKeyStore & SecretStore, configuration: IdentityConfiguration
    ) async throws(StoreError) -> KeyRing {
        let now = configuration.now()
        let stored = try await SigningKeyRing.stored(in: store, secretName: configuration.signingKeySecretName, now: now)
        return try await KeyRing(stored: stored, now: now, tokenLifetime: configuration.tokenLifetime)
    }

    /// Checks the password and issues a token, within the login limits (docs/IDENTITY.md, "Login limits").
    /// - Parameter clientAddress: the client's address, which the limits count failures by (nil if unknown:
    ///   then all callers are one client).
    /// - Parameter authorizedParty: the retailer's client id to put in the token as `azp` (checked by the caller).
    public func login(
        username: String, password: String, clientAddress: IPAddress? = nil, authorizedParty: String? = nil
    ) async throws(LoginError) -> IssuedToken {
        let client = clientAddress?.clientNetwork
        let ticket: LoginThrottle.Ticket
        do {
            ticket = try await throttle.admit(user: username, client: client)
        } catch {
            logger.notice("login refused: \(error)", metadata: ["user": "\(username)", "client": "\(client?.description ?? "-")"])
            throw error
        }
        switch await checkPassword(username: username, password: password) {
        case .success(let subscriber):
            await throttle.settle(ticket, as: .succeeded)
            logger.info("login", metadata: ["user": "\(username)"])
            return try await issueToken(for: subscriber, authorizedParty: authorizedParty)
        case .failure(.invalidCredentials):
            await throttle.settle(ticket, as: .failed)
            logger.notice("login failed", metadata: ["user": "\(username)", "client": "\(client?.description ?? "-")"])
            throw .invalidCredentials
        case .failure(let error):
            await throttle.settle(ticket, as: .notChecked)
            throw error
        }
    }

    /// The subscriber whose password `password` is, or why there is none. Takes as long for an
    /// unknown user as for a wrong password.
    private func checkPassword(username: String, password: String) async -> Result<Subscriber, LoginError> {
        let subscriber: Subscriber?
        do {
            subscriber = try await subscribers.subscriber(named: username)
        } catch {
            logger.error("login failed: subscriber store", metadata: ["error": "\(error)"])
            return .failure(.unavailable(error.description))
        }
        do {
            let matches = try await hasher.verify(password, against: subscriber?.passwordHash ?? decoyHash)
            guard let subscriber, matches else { return .failure(.invalidCredentials) }
            return .success(subscriber)
        } catch {
            return .failure(.unavailable("password check could not run: \(error)"))
        }
    }

    /// Issues a token for `subscriber` without a password check (for trusted callers such as tests and demos).
    public func issueToken(for subscriber: Subscriber, authorizedParty: String? = nil) async throws(LoginError) -> IssuedToken {
        let issuedAt = configuration.now()
        let lifetime = Int(configuration.tokenLifetime.components.seconds)
        let claims = AccessTokenClaims(
            sub: subscriber.username, roles: subscriber.roles, aud: AudienceClaim(value: [configuration.audience]),
            iss: configuration.issuer, exp: NumericDate(issuedAt.addingTimeInterval(TimeInterval(lifetime))),
            iat: NumericDate(issuedAt), nbf: nil, azp: authorizedParty)
        let ring = ring.ring
        do {
            let token = try await ring.keys.sign(claims, kid: JWKIdentifier(string: ring.signing.kid))
            return IssuedToken(accessToken: token, expiresIn: lifetime)
        } catch {
            throw .unavailable("could not sign the token: \(error)")
        }
    }

    /// A verifier that trusts exactly this issuer's keys (as they are at each verification), issuer name and audience.
    public func makeVerifier() -> TokenVerifier {
        TokenVerifier(keys: KeyRingSource(holder: ring, now: configuration.now), policy: .init(
            issuer: configuration.issuer, audience: configuration.audience, leeway: .zero,
            algorithms: ["ES256"], now: configuration.now))
    }
}
