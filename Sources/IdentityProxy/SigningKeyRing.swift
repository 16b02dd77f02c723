import Foundation
import WSECore

/// What operators do with the identity proxy's signing keys (`wse keys list`, `wse keys rotate`), on the
/// store every node shares (docs/IDENTITY.md, "Signing keys").
public enum SigningKeyRing {
    /// One key as `wse keys list` shows it: never its private half.
    public struct KeyInfo: Sendable, Hashable {
        public var kid: String
        public var createdAt: Date
        /// When a newer key took over the signing; nil while it signs.
        public var retiredAt: Date?
        /// Until when tokens it signed are accepted; nil while it signs.
        public var verifiesUntil: Date?
    }

    /// The stored keys, oldest first; a store with none gets its first key (the one a node of an earlier
    /// WSE kept as the secret `secretName`, or a new one), as a node's first start would.
    public static func list(
        in store: some SigningKeyStore & SecretStore, secretName: String = SigningKey.defaultSecretName, now: Date = Date()
    ) async throws(StoreError) -> [KeyInfo] {
        try await stored(in: store, secretName: secretName, now: now).map {
            KeyInfo(kid: $0.kid, createdAt: $0.createdAt, retiredAt: $0.retiredAt, verifiesUntil: $0.verifiesUntil)
        }
    }

    /// Adds a new key that signs from now on. The keys that signed until now are retired and still verify
    /// for `tokenLifetime` (the longest lifetime of a token they may have signed); keys retired earlier whose
    /// time is over are deleted. Every node picks the new ring up (docs/IDENTITY.md).
    /// - Returns: the new key.
    @discardableResult
    public static func rotate(
        in store: some SigningKeyStore & SecretStore, tokenLifetime: Duration, secretName: String = SigningKey.defaultSecretName,
        now: Date = Date()
    ) async throws(StoreError) -> KeyInfo {
        _ = try await stored(in: store, secretName: secretName, now: now)
        let key = try SigningKey.generate()
        try await store.addSigningKey(
            key.stored(createdAt: now),
            retiring: KeyRetirement(at: now, verifiesUntil: now.addingTimeInterval(tokenLifetime.timeInterval)))
        return KeyInfo(kid: key.kid, createdAt: now)
    }

    /// The stored ring, made on first use: from the key an earlier WSE kept as a secret, or a new key.
    /// Nodes that start together may each add one; all of them then sign with the newest.
    static func stored(
        in store: some SigningKeyStore & SecretStore, secretName: String, now: Date
    ) async throws(StoreError) -> [StoredSigningKey] {
        let keys = try await store.signingKeys()
        guard keys.isEmpty else { return keys }
        let first = try await SigningKey.loadOrCreate(in: store, secretName: secretName)
        try await store.addSigningKey(first.stored(createdAt: now), retiring: nil)
        return try await store.signingKeys()
    }
}
