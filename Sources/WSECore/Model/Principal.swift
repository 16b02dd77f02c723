import Foundation

/// Who is behind a session or a call: what a verified token says.
public struct Principal: Sendable, Hashable {
    /// The subscriber's user name (`sub`).
    public var user: UserName
    public var roles: Set<String>
    /// The retailer whose page opened the session, when known (from the token's `azp`, see `OriginPolicy`).
    public var retailer: String?
    /// When the token stops being valid.
    public var expiresAt: Date
    /// The client the token was issued to (`azp`): a retailer's client id when its page logged in through `auth.js`.
    public var authorizedParty: String?

    public init(user: UserName, roles: Set<String> = [], retailer: String? = nil, expiresAt: Date, authorizedParty: String? = nil) {
        self.user = user
        self.roles = roles
        self.retailer = retailer
        self.expiresAt = expiresAt
        self.authorizedParty = authorizedParty
    }
}
