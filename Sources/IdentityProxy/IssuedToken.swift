/// What `POST /idp/token` answers: `{"access_token","token_type":"Bearer","expires_in"}` (RFC 6749 §5.1).
public struct IssuedToken: Sendable, Codable, Equatable {
    public var accessToken: String
    public var tokenType: String
    /// Seconds until the token expires.
    public var expiresIn: Int

    public init(accessToken: String, expiresIn: Int) {
        self.accessToken = accessToken
        self.tokenType = "Bearer"
        self.expiresIn = expiresIn
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}
