import WSECore

/// What a placeholder in a template names: `{user}`, `{pid}`, `{data.field}` (nested with
/// dots, `{data}` for all of it), `{notify_url}` (subscription actions) and `{resource}`
/// (cancel requests). `{env.NAME}` is replaced when the configuration is loaded.
package enum Placeholder: Hashable, Sendable {
    case user
    case pid
    case data([String])
    case notifyURL
    case resource

    package var name: String {
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
package struct TemplateValues: Sendable {
    package var user: String
    package var pid: String
    package var data: JSONValue
    package var notifyURL: String?
    package var resource: String?

    package init(user: String, pid: String, data: JSONValue, notifyURL: String? = nil, resource: String? = nil) {
        self.user = user
        self.pid = pid
        self.data = data
        self.notifyURL = notifyURL
        self.resource = resource
    }

    /// The value of `placeholder`; a missing (or null) data field is the caller's mistake.
    package func value(of placeholder: Placeholder) throws(ConnectorError) -> JSONValue {
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
    package func text(of placeholder: Placeholder) throws(ConnectorError) -> String {
        let value = try value(of: placeholder)
        if let string = value.stringValue { return string }
        return value.jsonText
    }
}
