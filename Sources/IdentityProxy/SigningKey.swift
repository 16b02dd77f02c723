import Crypto
import Foundation
import JWTKit
import WSECore

/// The node's ES256 token-signing key, kept as PEM in the `SecretStore` so that it survives
/// restarts and is shared by every node on the same store.
///
/// Its key id (`kid`) is the RFC 7638 thumbprint of the public key, so the same key always has
/// the same id and a new key can never collide with an old one.
public struct SigningKey: Sendable {
    /// The default name of the secret that holds the PEM.
    public static let defaultSecretName = "idp.signing-key.es256"

    let privateKey: ES256PrivateKey
    /// The key id put in every token's header and in the JWKS.
    public let kid: String
    /// The public half, as published at `/idp/jwks.json`.
    public let publicJWK: JWK

    init(privateKey: ES256PrivateKey) throws {
        guard let parameters = privateKey.publicKey.parameters else {
            throw StoreError("the signing key has no public EC parameters")
        }
        self.privateKey = privateKey
        kid = Self.thumbprint(x: parameters.x, y: parameters.y)
        publicJWK = .ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: parameters.x, y: parameters.y, curve: .p256)
    }

    /// The key in PKCS#8 PEM form, as stored.
    init(pem: String) throws {
        try self.init(privateKey: ES256PrivateKey(pem: pem))
    }

    /// A new random key.
    static func generate() throws(StoreError) -> SigningKey {
        do {
            return try SigningKey(privateKey: ES256PrivateKey())
        } catch {
            throw StoreError("could not generate a signing key: \(error)")
        }
    }

    /// The key as the store keeps it.
    func stored(createdAt: Date) -> StoredSigningKey {
        StoredSigningKey(kid: kid, privateKeyPEM: privateKey.pemRepresentation, createdAt: createdAt)
    }

    /// Loads the key stored under `secretName`, or generates one and stores it on first start.
    /// - Throws: `StoreError` when the store fails or holds a PEM that is not an ES256 private key.
    public static func loadOrCreate(in secrets: some SecretStore, secretName: String = defaultSecretName)
        async throws(StoreError) -> SigningKey
    {
        if let pem = try await secrets.secret(named: secretName) {
            do {
                return try SigningKey(pem: pem)
            } catch {
                throw StoreError(
                    "the secret \"\(secretName)\" is not an ES256 private key in PEM form; delete it to have a new key generated (tokens already issued will stop verifying)"
                )
            }
        }
        let key = try generate()
        try await secrets.saveSecret(key.privateKey.pemRepresentation, named: secretName)
        // Another node may have stored its key at the same moment: use whatever the store kept.
        guard let stored = try await secrets.secret(named: secretName),
            stored != key.privateKey.pemRepresentation
        else { return key }
        return try await loadOrCreate(in: secrets, secretName: secretName)
    }

    /// RFC 7638: base64url(SHA-256 of the canonical JSON of the required members, in lexical order).
    static func thumbprint(x: String, y: String) -> String {
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        return Base64URL.encode(SHA256.hash(data: Array(canonical.utf8)))
    }
}
