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
    /// How failed logins slow a client down, and how many password checks may wait.
    public var loginLimits: LoginLimits
    /// The clock; tests move it to issue expired tokens without waiting.
    public var now: @Sendable () -> Date

    public init(
        issuer: String = "wse", audience: String = "wse", tokenLifetime: Duration = .seconds(3600),
        signingKeySecretName: String = SigningKey.defaultSecretName, loginLimits: LoginLimits = .init(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.issuer = issuer
        self.audience = audience
        self.tokenLifetime = tokenLifetime
        self.signingKeySecretName = signingKeySecretName
        self.loginLimits = loginLimits
        self.now = now
    }
}
