import Hummingbird
import WSECore

/// An error a connector answers on connector OUT, as `{"error":{"code","message"}}`.
/// Each connector lists its codes in its docs page (docs/REST-CONNECTOR.md, docs/SOAP-CONNECTOR.md).
package struct ConnectorError: Error, Sendable, Equatable {
    package var status: HTTPResponse.Status
    package var code: String
    package var message: String

    package init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    package static let unauthorized = ConnectorError(status: .unauthorized, code: "unauthorized", message: "missing or wrong connector key (Authorization: Bearer <key>)")

    package static func badRequest(_ message: String) -> ConnectorError {
        ConnectorError(status: .badRequest, code: "bad_request", message: message)
    }

    package static func missingField(_ name: String) -> ConnectorError {
        badRequest("missing field \(name)")
    }

    package static func unknownAction(service: String, action: String, known: [String]) -> ConnectorError {
        ConnectorError(
            status: .notFound, code: "unknown_action",
            message: "this connector has no action \"\(action)\" for service \"\(service)\"; it knows: \(known.joined(separator: ", "))")
    }

    package var response: Response {
        let body: JSONValue = ["error": ["code": .string(code), "message": .string(message)]]
        return Response.json(status, body)
    }
}
