import Hummingbird
import WSECore

/// JSON bodies built as `JSONValue` trees.
extension Response {
    package static func json(_ status: HTTPResponse.Status, _ body: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body.jsonText)))
    }
}
