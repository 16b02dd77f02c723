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
