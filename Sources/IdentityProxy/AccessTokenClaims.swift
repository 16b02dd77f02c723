import Foundation
import JWTKit

/// The claims of a WSE access token: `sub`, `roles`, `aud`, `iss`, `exp`, `iat`, and `azp` when a retailer's page logged in.
///
/// External issuers' tokens are read with the same type: `roles` and `iat` may be missing, and
/// `aud` may be a string or an array.
struct AccessTokenClaims: JWTPayload, Equatable {
    var sub: String
    var roles: [String]?
    var aud: AudienceClaim
    var iss: String?
    var exp: NumericDate
    var iat: NumericDate?
    /// Only read: tokens from external issuers may carry it.
    var nbf: NumericDate?
    /// The retailer's client id its page logged in with (OpenID Connect's authorized party), when it gave one.
    var azp: String? = nil

    /// Claim checks are done by `TokenVerifier` after the signature, so that each failure maps to
    /// its own `TokenError` case and the verifier's clock and leeway apply.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A JWT NumericDate written as whole seconds (jwt-kit's own claims write fractions, which some
/// verifiers refuse); fractional values are accepted when read.
struct NumericDate: Codable, Sendable, Equatable {
    var secondsSince1970: Int64

    init(_ date: Date) { secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down)) }

    var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Double.self)
        guard value.isFinite, abs(value) < 1e15 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a NumericDate"))
        }
        secondsSince1970 = Int64(value.rounded(.down))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(secondsSince1970)
    }
}
