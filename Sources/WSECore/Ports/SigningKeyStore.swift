import Foundation

/// One token-signing key of the identity proxy, as stored: the newest key that is not retired signs;
/// retired keys still verify the tokens they signed until `verifiesUntil`.
public struct StoredSigningKey: Sendable, Hashable {
    /// The key id (the public key's thumbprint), unique.
    public var kid: String
    /// The private key, PKCS#8 PEM. Never shown or logged.
    public var privateKeyPEM: String
    public var createdAt: Date
    /// When a newer key took over the signing; nil while this one signs.
    public var retiredAt: Date?
    /// Until when tokens signed by this key are accepted (set with `retiredAt`); after it the key is dropped.
    public var verifiesUntil: Date?

    public init(kid: String, privateKeyPEM: String, createdAt: Date, retiredAt: Date? = nil, verifiesUntil: Date? = nil) {
        self.kid = kid
        self.privateKeyPEM = privateKeyPEM
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.verifiesUntil = verifiesUntil
    }
}

/// How a new signing key retires the keys that signed before it.
public struct KeyRetirement: Sendable, Hashable {
    /// When the older keys stop signing.
    public var at: Date
    /// Until when they still verify (the retirement plus the longest token lifetime).
    public var verifiesUntil: Date

    public init(at: Date, verifiesUntil: Date) {
        self.at = at
        self.verifiesUntil = verifiesUntil
    }
}

/// Port: the identity proxy's signing keys, shared by every node on the store.
public protocol SigningKeyStore: Sendable {
    /// Every stored key, oldest first (dropped keys included until the next rotation deletes them).
    func signingKeys() async throws(StoreError) -> [StoredSigningKey]
    /// Adds `key` (nothing when its kid is stored already) in one transaction with `retiring`: every key
    /// that still signs is retired as it says, and keys whose `verifiesUntil` has passed at `retiring.at`
    /// are deleted. Announced as `StoreChange.signingKeys`.
    func addSigningKey(_ key: StoredSigningKey, retiring: KeyRetirement?) async throws(StoreError)
}
