import Foundation
import Hummingbird
import WSECore

/// Guards the operator's APIs (`/admin/v1`, `/orchestrator/v1`, `/metrics`): the request must carry the
/// token as `Authorization: Bearer <token>`. Compared in constant time, its length included.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String
    /// How the refusal names the token.
    var tokenName = "admin token"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            ConstantTime.equal(header.dropFirst(7), token)
        else {
            return try HTTPErrorBody(code: "unauthorized", message: "the \(tokenName) is required as \"Authorization: Bearer <token>\"")
                .response(status: .unauthorized)
        }
        return try await next(request, context)
    }
}

extension HTTPErrorBody {
    /// The error as a JSON response with the given status.
    func response(status: HTTPResponse.Status) throws -> Response {
        try jsonResponse(self, status: status)
    }
}

/// A JSON response with any status (Hummingbird's `ResponseEncodable` always answers 200).
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, encoder: JSONEncoder = JSONEncoder()) throws -> Response {
    let data = try encoder.encode(value)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
