import Hummingbird
import WSECore

extension Response {
    /// A JSON response; the demo services build their bodies as `JSONValue` trees.
    static func json(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.jsonText)))
    }
}

extension Request {
    /// The body as JSON, or nil when it is not JSON (or larger than `limit`).
    func jsonBody(limit: Int = 1 << 16) async -> JSONValue? {
        guard let buffer = try? await body.collect(upTo: limit) else { return nil }
        return try? JSONValue.parse(buffer.readableBytesView)
    }
}
