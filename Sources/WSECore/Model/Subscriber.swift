/// A subscriber of the operator, as the identity proxy stores it.
public struct Subscriber: Sendable, Hashable {
    public var username: String
    /// The encoded salted slow hash (for example `pbkdf2-sha256$<iterations>$<salt>$<hash>`); never the password.
    public var passwordHash: String
    public var roles: [String]
    /// SIP credentials for the IMS connector, when the subscriber has a SIP identity.
    public var sipURI: String?
    public var sipPassword: String?

    public init(username: String, passwordHash: String, roles: [String] = ["subscriber"], sipURI: String? = nil, sipPassword: String? = nil) {
        self.username = username
        self.passwordHash = passwordHash
        self.roles = roles
        self.sipURI = sipURI
        self.sipPassword = sipPassword
    }
}
