/// Why a token was refused. Every case closes a WebSocket with 4401.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case badSignature
    case expired
    case wrongAudience
    case wrongIssuer
    /// The issuer's keys could not be fetched (external issuer down).
    case keysUnavailable(String)

    public var description: String {
        switch self {
        case .malformed(let why): "malformed token: \(why)"
        case .badSignature: "token signature does not verify"
        case .expired: "token has expired"
        case .wrongAudience: "token is not meant for this node (audience)"
        case .wrongIssuer: "token comes from an issuer this node does not trust"
        case .keysUnavailable(let why): "issuer keys unavailable: \(why)"
        }
    }
}

/// Port: verifies a bearer token (signature, expiry, audience) and says who it names.
/// Implemented by the identity proxy (own keys, or an external OIDC issuer's JWKS).
public protocol TokenVerifying: Sendable {
    func verify(token: String) async throws(TokenError) -> Principal
}
