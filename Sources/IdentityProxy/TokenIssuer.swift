import Foundation
import JWTKit
import Logging
import WSECore

/// The node's identity proxy: checks a subscriber's password and issues an ES256 access token
/// (`sub`, `roles`, `aud`, `iss`, `exp`, `iat`; `kid` in the header), and publishes the public key.
///
/// Create one per node with `TokenIssuer(subscribers:secrets:)`: the signing key is loaded from the
/// secret store, or generated and stored on the very first start. Serve it over HTTP with
/// `IdentityRoutes`, and verify its tokens with `makeVerifier()`.
public final class TokenIssuer: Sendable {
    public let configuration: IdentityConfiguration
    public let signingKey: SigningKey
    let subscribers: any SubscriberStore
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let logger: Logger
    private let keys: JWTKeyCollection
    /// Checked when the user is unknown, so that the answer takes as long as for a wrong password.
    private let decoyHash: String

    public init(
        subscribers: any SubscriberStore, secrets: some SecretStore, configuration: IdentityConfiguration = .init(),
        hasher: PasswordHasher = .init(), logger: Logger = Logger(label: "wse.identity")
    ) async throws(StoreError) {
        self.configuration = configuration
        self.subscribers = subscribers
        self.hasher = hasher
        self.logger = logger
        signingKey = try await SigningKey.loadOrCreate(in: secrets, secretName: configuration.signingKeySecretName)
        keys = JWTKeyCollection()
        await keys.add(ecdsa: signingKey.privateKey, kid: JWKIdentifier(string: signingKey.kid))
        throttle = LoginThrottle(limits: configuration.loginLimits, now: configuration.now)
        decoyHash = EncodedPasswordHash(
            iterations: hasher.iterations, salt: [UInt8](repeating: 0, count: 16),
            hash: [UInt8](repeating: 0, count: EncodedPasswordHash.hashLength)
        ).encoded
    }

    /// The public keys that verify this issuer's tokens, as served at `/idp/jwks.json`.
    public var jwks: JWKS { JWKS(keys: [signingKey.publicJWK]) }

    /// Checks the password and issues a token, within the login limits (docs/IDENTITY.md, "Login limits").
    /// - Parameter clientAddress: the client's address, which the limits count failures by (nil if unknown:
    ///   then all callers are one client).
    public func login(username: String, password: String, clientAddress: IPAddress? = nil) async throws(LoginError) -> IssuedToken {
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
            return try await issueToken(for: subscriber)
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
    public func issueToken(for subscriber: Subscriber) async throws(LoginError) -> IssuedToken {
        let issuedAt = configuration.now()
        let lifetime = Int(configuration.tokenLifetime.components.seconds)
        let claims = AccessTokenClaims(
            sub: subscriber.username, roles: subscriber.roles, aud: AudienceClaim(value: [configuration.audience]),
            iss: configuration.issuer, exp: NumericDate(issuedAt.addingTimeInterval(TimeInterval(lifetime))),
            iat: NumericDate(issuedAt), nbf: nil)
        do {
            let token = try await keys.sign(claims, kid: JWKIdentifier(string: signingKey.kid))
            return IssuedToken(accessToken: token, expiresIn: lifetime)
        } catch {
            throw .unavailable("could not sign the token: \(error)")
        }
    }

    /// A verifier that trusts exactly this issuer's key, issuer name and audience.
    public func makeVerifier() -> TokenVerifier {
        TokenVerifier(keys: FixedKeySet(keys: keys, kids: [signingKey.kid]), policy: .init(
            issuer: configuration.issuer, audience: configuration.audience, leeway: .zero,
            algorithms: ["ES256"], now: configuration.now))
    }
}
