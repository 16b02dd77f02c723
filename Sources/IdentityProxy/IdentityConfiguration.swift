import Foundation

/// How the node's own identity proxy issues tokens.
public struct IdentityConfiguration: Sendable {
    /// The `iss` claim, usually the node's public base URL.
    public var issuer: String
    /// The `aud` claim; the node's verifier accepts only this audience.
    public var audience: String
    /// How long a token is valid (`expires_in`).
    public var tokenLifetime: Duration
    /// The `SecretStore` name under which the signing key's PEM is kept.
    public var signingKeySecretName: String
    /// Failed-login limits.
    public var rateLimit: LoginRateLimit
    /// The clock; tests move it to issue expired tokens without waiting.
    public var now: @Sendable () -> Date

    public init(
        issuer: String = "wse", audience: String = "wse", tokenLifetime: Duration = .seconds(3600),
        signingKeySecretName: String = SigningKey.defaultSecretName, rateLimit: LoginRateLimit = .init(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.issuer = issuer
        self.audience = audience
        self.tokenLifetime = tokenLifetime
        self.signingKeySecretName = signingKeySecretName
        self.rateLimit = rateLimit
        self.now = now
    }
}

/// How many failed logins are allowed before `POST /idp/token` answers 429.
public struct LoginRateLimit: Sendable {
    /// Failures allowed per user name within `window` (whatever the client address).
    public var maxFailuresPerUser: Int
    /// Failures allowed per client address within `window` (whatever the user name).
    public var maxFailuresPerAddress: Int
    public var window: Duration

    public init(maxFailuresPerUser: Int = 5, maxFailuresPerAddress: Int = 20, window: Duration = .seconds(300)) {
        self.maxFailuresPerUser = maxFailuresPerUser
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.window = window
    }
}
