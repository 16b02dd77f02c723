/// An external OpenID Connect issuer whose tokens the node accepts instead of its own
/// (an operator with its own identity provider).
public struct ExternalIssuer: Sendable {
    /// The expected `iss` claim, for example `https://login.operator.example/realms/wse`.
    public var issuer: String
    /// The expected `aud` claim (the client id the provider gives WSE).
    public var audience: String
    /// The provider's JWKS document (its `jwks_uri`).
    public var jwksURL: String
    /// Tolerated clock difference with the provider when checking `exp` and `nbf`.
    public var leeway: Duration
    /// How long fetched keys are trusted before they are fetched again.
    public var cacheLifetime: Duration
    /// The least time between two fetches triggered by unknown key ids (so forged `kid`s cannot flood the provider).
    public var minimumRefetchInterval: Duration
    /// How long one fetch may take.
    public var fetchTimeout: Duration

    public init(
        issuer: String, audience: String, jwksURL: String, leeway: Duration = .seconds(30),
        cacheLifetime: Duration = .seconds(3600), minimumRefetchInterval: Duration = .seconds(30),
        fetchTimeout: Duration = .seconds(5)
    ) {
        self.issuer = issuer
        self.audience = audience
        self.jwksURL = jwksURL
        self.leeway = leeway
        self.cacheLifetime = cacheLifetime
        self.minimumRefetchInterval = minimumRefetchInterval
        self.fetchTimeout = fetchTimeout
    }
}
