import Foundation
import JWTKit
import Synchronization
import WSECore

/// The keys a node signs and verifies tokens with: one snapshot of the stored key ring.
///
/// The newest key that is not retired signs. A retired key verifies until the later of its stored
/// `verifiesUntil` and its retirement plus this node's token lifetime (the tokens it signed live that
/// long); after that it is left out, of the verifier and of the JWKS.
struct KeyRing: Sendable {
    let signing: SigningKey
    /// Key id → until when it verifies (nil: no end; the key has not been retired).
    let verifiesUntil: [String: Date?]
    let keys: JWTKeyCollection
    /// The public half of every key, by id.
    private let publicKeys: [(kid: String, jwk: JWK)]

    /// - Throws: `StoreError` when the ring has no key that may sign, or holds a key that is not an ES256 PEM.
    init(stored: [StoredSigningKey], now: Date, tokenLifetime: Duration) async throws(StoreError) {
        var loaded: [(key: SigningKey, stored: StoredSigningKey, until: Date?)] = []
        for key in stored {
            let until = key.retiredAt.map { max(key.verifiesUntil ?? $0, $0.addingTimeInterval(tokenLifetime.timeInterval)) }
            if let until, until <= now { continue }
            do {
                loaded.append((try SigningKey(pem: key.privateKeyPEM), key, until))
            } catch {
                throw StoreError("the stored signing key \"\(key.kid)\" is not an ES256 private key in PEM form; rotate the keys (wse keys rotate)")
            }
        }
        let current = loaded.filter { $0.stored.retiredAt == nil }.max { ($0.stored.createdAt, $0.stored.kid) < ($1.stored.createdAt, $1.stored.kid) }
        guard let current else {
            throw StoreError("the store holds no signing key that may sign; add one with wse keys rotate")
        }
        signing = current.key
        let collection = JWTKeyCollection()
        for entry in loaded { await collection.add(ecdsa: entry.key.privateKey, kid: JWKIdentifier(string: entry.key.kid)) }
        keys = collection
        verifiesUntil = Dictionary(loaded.map { ($0.key.kid, $0.until) }, uniquingKeysWith: { first, _ in first })
        publicKeys = loaded.map { ($0.key.kid, $0.key.publicJWK) }
    }

    /// The keys that verify at `now`, as published at `/idp/jwks.json`.
    func jwks(at now: Date) -> JWKS {
        JWKS(keys: publicKeys.filter { verifies(kid: $0.kid, at: now) }.map(\.jwk))
    }

    /// Whether a token naming `kid` may be checked with this ring at `now`.
    func verifies(kid: String, at now: Date) -> Bool {
        guard let until = verifiesUntil[kid] else { return false }
        return until.map { now < $0 } ?? true
    }
}

/// The node's current `KeyRing`, shared by the issuer and its verifiers, replaced whole on each reload.
final class KeyRingHolder: Sendable {
    private struct State {
        var ring: KeyRing
        var installed = 0
    }

    private let state: Mutex<State>
    private let reloads = Atomic<Int>(0)

    init(_ ring: KeyRing) {
        state = Mutex(State(ring: ring))
    }

    var ring: KeyRing { state.withLock { $0.ring } }

    /// Builds a ring with `build` and installs it, unless a reload that started later installed its ring first.
    func reload(_ build: () async throws(StoreError) -> KeyRing) async throws(StoreError) {
        let generation = reloads.add(1, ordering: .relaxed).newValue
        let ring = try await build()
        state.withLock { state in
            guard generation > state.installed else { return }
            state.ring = ring
            state.installed = generation
        }
    }
}

/// Verifies with the holder's ring as it is at each verification.
struct KeyRingSource: VerificationKeySource {
    let holder: KeyRingHolder
    let now: @Sendable () -> Date

    func keys(holding kid: String) async throws(TokenError) -> JWTKeyCollection {
        let ring = holder.ring
        // JWTKeyCollection falls back to its default key for an unknown kid; refuse that here.
        guard ring.verifies(kid: kid, at: now()) else { throw .badSignature }
        return ring.keys
    }
}
