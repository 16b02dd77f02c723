import Foundation

/// A subscriber of the operator, as the identity proxy stores it: one identity for the Web (its login)
/// and for IMS (its SIP identity, which the IMS connector looks up at the node).
public struct Subscriber: Sendable, Hashable {
    public var username: String
    /// The encoded salted slow hash (for example `pbkdf2-sha256$<iterations>$<salt>$<hash>`); never the password.
    public var passwordHash: String
    public var roles: [String]
    /// The subscriber's SIP address of record (`sip:alice@ims.example`), when it has a SIP identity.
    public var sipURI: String?
    /// The SIP digest user name (often the user part of `sipURI`, or an IMPI such as `alice@ims.example`).
    public var sipAuthUser: String?
    /// The digest realm `sipHA1` was computed for.
    public var sipRealm: String?
    /// `MD5(authUser:realm:password)` in lower-case hex (RFC 2617's HA1, as Kamailio's `ha1` column keeps it):
    /// enough to answer digest challenges of that realm, never the password itself.
    public var sipHA1: String?

    public init(
        username: String, passwordHash: String, roles: [String] = ["subscriber"], sipURI: String? = nil,
        sipAuthUser: String? = nil, sipRealm: String? = nil, sipHA1: String? = nil
    ) {
        self.username = username
        self.passwordHash = passwordHash
        self.roles = roles
        self.sipURI = sipURI
        self.sipAuthUser = sipAuthUser
        self.sipRealm = sipRealm
        self.sipHA1 = sipHA1
    }
}

/// A subscriber as listed by the admin API and `wse subscribers list`: no password hash, no HA1.
public struct SubscriberSummary: Sendable, Hashable, Codable {
    public var username: String
    public var roles: [String]
    public var sipURI: String?
    public var sipAuthUser: String?
    public var sipRealm: String?

    public init(_ subscriber: Subscriber) {
        username = subscriber.username
        roles = subscriber.roles
        sipURI = subscriber.sipURI
        sipAuthUser = subscriber.sipAuthUser
        sipRealm = subscriber.sipRealm
    }
}
