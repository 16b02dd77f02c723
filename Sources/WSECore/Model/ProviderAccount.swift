import Foundation

/// A third-party service provider on board (paper §3.1): it registers, updates and deletes its own
/// services with its own key, and reads its own usage.
public struct ProviderAccount: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The SHA-256 of the provider's key, in lower-case hex: the key itself is shown once, at creation.
    /// (A provider key is only ever compared, never sent on, so a fast hash of a 190-bit random key suffices.)
    public var keyHash: String
    public var createdAt: Date

    public init(id: String, name: String, keyHash: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.keyHash = keyHash
        self.createdAt = createdAt
    }
}
