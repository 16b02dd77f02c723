import Foundation
import Hummingbird
import WSECore

/// Guards the operator's APIs (`/admin/v1`, `/orchestrator/v1`): the request must carry the
/// admin token as `Authorization: Bearer <token>`. Compared in constant time.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            Self.constantTimeEqual(Array(header.utf8.dropFirst(7)), Array(token.utf8))
        else {
            return try HTTPErrorBody(code: "unauthorized", message: "the admin token is required as \"Authorization: Bearer <token>\"")
                .response(status: .unauthorized)
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

extension HTTPErrorBody {
    /// The error as a JSON response with the given status.
    func response(status: HTTPResponse.Status) throws -> Response {
        try jsonResponse(self, status: status)
    }
}

/// A JSON response with any status (Hummingbird's `ResponseEncodable` always answers 200).
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try JSONEncoder().encode(value)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
