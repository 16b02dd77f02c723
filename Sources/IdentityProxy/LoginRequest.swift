import Foundation
import Hummingbird

/// The body of `POST /idp/token`: `{"username": "…", "password": "…", "client_id"?: "…"}`.
struct LoginRequest: Decodable, Sendable {
    var username: String
    var password: String
    /// The retailer's client id (`auth.js` sends it for a retailer's page); becomes the token's `azp`.
    var clientID: String?

    enum CodingKeys: String, CodingKey {
        case username, password
        case clientID = "client_id"
    }

    /// Longer user names are refused before any lookup (they also bound the rate limiter's memory).
    static let maxUsernameLength = 256

    /// Why a login body was refused, as the HTTP answer to give.
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var code: String
        var message: String
    }

    static func read(from request: Request) async throws(Refusal) -> LoginRequest {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: IdentityRoutes.maxLoginBodySize)
        } catch {
            throw Refusal(status: .contentTooLarge, code: "too_large", message: "the body is larger than \(IdentityRoutes.maxLoginBodySize) bytes")
        }
        let login: LoginRequest
        do {
            login = try JSONDecoder().decode(LoginRequest.self, from: Data(body.readableBytesView))
        } catch {
            throw Refusal(status: .badRequest, code: "bad_request", message: #"expected a JSON object {"username": string, "password": string}"#)
        }
        guard !login.username.isEmpty, !login.password.isEmpty else {
            throw Refusal(status: .badRequest, code: "bad_request", message: "username and password must not be empty")
        }
        guard login.username.utf8.count <= maxUsernameLength else {
            throw Refusal(status: .badRequest, code: "bad_request", message: "username is longer than \(maxUsernameLength) bytes")
        }
        return login
    }
}
