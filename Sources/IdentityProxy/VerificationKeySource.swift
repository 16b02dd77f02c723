import JWTKit
import WSECore

/// Where a `TokenVerifier` finds the public key named by a token's `kid`.
protocol VerificationKeySource: Sendable {
    /// A key collection that holds `kid`.
    /// - Throws: `.badSignature` when no trusted key has that id; `.keysUnavailable` when the keys cannot be had.
    func keys(holding kid: String) async throws(TokenError) -> JWTKeyCollection
}

/// A fixed set of keys: the node's own, or keys given in the configuration.
struct FixedKeySet: VerificationKeySource {
    let keys: JWTKeyCollection
    let kids: Set<String>

    func keys(holding kid: String) async throws(TokenError) -> JWTKeyCollection {
        // JWTKeyCollection falls back to its default key for an unknown kid; refuse that here.
        guard kids.contains(kid) else { throw .badSignature }
        return keys
    }
}
