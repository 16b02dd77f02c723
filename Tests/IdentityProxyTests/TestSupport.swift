import Foundation
import JWTKit
import Testing
import WSECore
@testable import IdentityProxy

/// The decoded JSON of a JWT part.
func decodedPart(_ token: String, _ index: Int) throws -> [String: Any] {
    let part = String(token.split(separator: ".", omittingEmptySubsequences: false)[index])
    let bytes = try #require(Base64URL.decode(part))
    return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

/// `token` with its payload replaced by `json` (the signature is left as it was).
func replacingPayload(of token: String, with json: String) -> String {
    var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    parts[1] = Base64URL.encode(Array(json.utf8))
    return parts.joined(separator: ".")
}

/// A compact JWT with the given header and payload JSON and a meaningless signature.
func unsignedToken(header: String, payload: String) -> String {
    [Base64URL.encode(Array(header.utf8)), Base64URL.encode(Array(payload.utf8)), Base64URL.encode([1, 2, 3])].joined(separator: ".")
}

/// Claims as an external OIDC provider writes them.
struct ProviderClaims: JWTPayload {
    var sub: String
    var aud: String
    var iss: String
    var exp: Int
    var roles: [String]?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A key pair standing for an external provider's signing key.
struct ProviderKey {
    let key = ES256PrivateKey()
    let kid: String

    var jwk: JWK {
        let parameters = key.publicKey.parameters!
        return .ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: parameters.x, y: parameters.y, curve: .p256)
    }

    func sign(_ claims: ProviderClaims, typ: String? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        var header = JWTHeader()
        header.typ = typ
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid), header: header)
    }
}

/// A subscriber store whose every call fails, as a broken database would.
struct FailingSubscriberStore: SubscriberStore {
    func subscriber(named username: String) async throws(StoreError) -> Subscriber? { throw StoreError("disk on fire") }
    func save(_ subscriber: Subscriber) async throws(StoreError) { throw StoreError("disk on fire") }
}
