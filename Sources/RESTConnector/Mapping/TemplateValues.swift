import WSECore

/// What a placeholder in a template names: `{user}`, `{pid}`, `{data.field}` (nested with
/// dots, `{data}` for all of it), `{notify_url}` (subscription actions) and `{resource}`
/// (cancel requests). `{env.NAME}` is replaced when the configuration is loaded.
enum Placeholder: Hashable, Sendable {
    case user
    case pid
    case data([String])
    case notifyURL
    case resource

    var name: String {
        switch self {
        case .user: "user"
        case .pid: "pid"
        case .data(let path): (["data"] + path).joined(separator: ".")
        case .notifyURL: "notify_url"
        case .resource: "resource"
        }
    }
}

/// The values placeholders are filled from, for one call.
struct TemplateValues: Sendable {
    var user: String
    var pid: String
    var data: JSONValue
    var notifyURL: String?
    var resource: String?

    /// The value of `placeholder`; a missing (or null) data field is the caller's mistake.
    func value(of placeholder: Placeholder) throws(ConnectorError) -> JSONValue {
        switch placeholder {
        case .user: return .string(user)
        case .pid: return .string(pid)
        case .notifyURL: return notifyURL.map(JSONValue.string) ?? .null
        case .resource: return resource.map(JSONValue.string) ?? .null
        case .data(let path):
            var value = data
            for key in path {
                guard let inner = value[key], !inner.isNull else { throw .missingField(placeholder.name) }
                value = inner
            }
            return value
        }
    }

    /// The value as text: strings as they are, other JSON as JSON text.
    func text(of placeholder: Placeholder) throws(ConnectorError) -> String {
        let value = try value(of: placeholder)
        if let string = value.stringValue { return string }
        return value.jsonText
    }
}
