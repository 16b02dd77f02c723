import Hummingbird
import NIOCore
import Orc
import WSECore

extension Response {
    /// A JSON answer.
    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    /// The standard error body `{"error":{"code","message"[,"line","column"]}}`.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, line: Int? = nil, column: Int? = nil) -> Response {
        var detail: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let line { detail["line"] = .number(Double(line)) }
        if let column { detail["column"] = .number(Double(column)) }
        return json(status, ["error": .object(detail)])
    }

    /// 422 for Orc source that does not parse, with the position of the error.
    static func parseError(_ error: OrcParseError) -> Response {
        let expectation = error.expected.isEmpty ? "" : " (expected \(error.expected.joined(separator: " or ")))"
        let place = error.location.file.hasPrefix("composition:") ? "" : " in \(error.location.file)"
        return .error(.unprocessableContent, "orc_parse_error", "\(error.message)\(expectation)\(place)",
                      line: error.location.line, column: error.location.column)
    }

    static func notFound(_ message: String) -> Response { .error(.notFound, "not_found", message) }

    static var invalidID: Response {
        .error(.badRequest, "bad_request", "a composition id is 1 to 64 letters, digits, '.', '_' or '-'")
    }

    static func storeFailure(_ error: StoreError) -> Response {
        .error(.serviceUnavailable, "store_unavailable", "the composition store failed: \(error.description)")
    }
}
