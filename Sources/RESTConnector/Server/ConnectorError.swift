import Hummingbird
import WSECore

/// An error the connector answers on connector OUT, as `{"error":{"code","message"}}`.
/// The codes are listed in docs/REST-CONNECTOR.md.
struct ConnectorError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    static let unauthorized = ConnectorError(status: .unauthorized, code: "unauthorized", message: "missing or wrong connector key (Authorization: Bearer <key>)")

    static func badRequest(_ message: String) -> ConnectorError {
        ConnectorError(status: .badRequest, code: "bad_request", message: message)
    }

    static func missingField(_ name: String) -> ConnectorError {
        badRequest("missing field \(name)")
    }

    static func unknownAction(service: String, action: String, known: [String]) -> ConnectorError {
        ConnectorError(
            status: .notFound, code: "unknown_action",
            message: "this connector has no action \"\(action)\" for service \"\(service)\"; it knows: \(known.joined(separator: ", "))")
    }

    static func unknownProcess(_ pid: String) -> ConnectorError {
        ConnectorError(status: .notFound, code: "unknown_process", message: "no running subscription with pid \(pid)")
    }

    var response: Response {
        let body: JSONValue = ["error": ["code": .string(code), "message": .string(message)]]
        return Response.json(status, body)
    }
}
