import WSECore

/// The body of a connector OUT call, checked field by field so that a bad one is refused
/// with the field named.
package struct CallRequest: Sendable {
    package var pid: String
    package var service: String
    package var action: String
    package var user: String
    package var data: JSONValue
    package var callback: String?

    private static let pidCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    package init(parsing bytes: some Collection<UInt8>) throws(ConnectorError) {
        let body: JSONValue
        do {
            body = try JSONValue.parse(bytes)
        } catch {
            throw .badRequest(error.description)
        }
        guard body.objectValue != nil else { throw .badRequest("the body must be a JSON object {pid, service, action, user, data, callback}") }
        func text(_ name: String) throws(ConnectorError) -> String {
            guard let value = body[name], !value.isNull else { throw .missingField(name) }
            guard let string = value.stringValue, !string.isEmpty else { throw .badRequest("field \(name) must be a non-empty string") }
            return string
        }
        pid = try text("pid")
        // The pid becomes a path segment of the notify URL.
        guard pid.utf8.allSatisfy({ Self.pidCharacters.contains($0) }) else {
            throw .badRequest("field pid may use only letters, digits, -, _, . and ~")
        }
        service = try text("service")
        action = try text("action")
        user = try text("user")
        switch body["data"] {
        case nil, .null?: data = .object([:])
        case .object(let members)?: data = .object(members)
        default: throw .badRequest("field data must be a JSON object")
        }
        callback = body["callback"]?.stringValue
    }
}
