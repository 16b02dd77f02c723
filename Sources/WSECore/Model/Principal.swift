import Foundation

/// Who is behind a session or a call: what a verified token says.
public struct Principal: Sendable, Hashable {
    /// The subscriber's user name (`sub`).
    public var user: UserName
    public var roles: Set<String>
    /// The retailer whose page opened the session, when known (from the Origin allow-list).
    public var retailer: String?
    /// When the token stops being valid.
    public var expiresAt: Date

    public init(user: UserName, roles: Set<String> = [], retailer: String? = nil, expiresAt: Date) {
        self.user = user
        self.roles = roles
        self.retailer = retailer
        self.expiresAt = expiresAt
    }
}

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
