import SIP
import WSECore

/// One browser action of the `sip` service (PROTOCOL.md demo table), validated.
enum IMSAction: Equatable {
    case register
    case unregister
    case publish(basic: PIDFDocument.Basic, note: String?)
    case subscribe(SIPURI)
    case unsubscribe(SIPURI)
    case message(to: SIPURI, text: String)
    /// Sets how the user's presence treats one watcher (RFC 5025 sub-handling).
    case authorize(watcher: SIPURI, rule: PresenceRule)
    /// The user's presence rules.
    case rules

    static let maxTextBytes = 64 * 1024

    init(action: String, data: JSONValue) throws(IMSConnectorError) {
        if !data.isNull && data.objectValue == nil { throw .badRequest("data must be a JSON object") }
        switch action {
        case "register": self = .register
        case "unregister": self = .unregister
        case "publish":
            guard let basicText = data["basic"]?.stringValue else { throw .badRequest("publish needs \"basic\": \"open\" or \"closed\"") }
            guard let basic = PIDFDocument.Basic(rawValue: basicText) else {
                throw .badRequest("publish: \"basic\" must be \"open\" or \"closed\", not \"\(basicText)\"")
            }
            let note = data["note"]
            if let note, !note.isNull, note.stringValue == nil { throw .badRequest("publish: \"note\" must be a string") }
            self = .publish(basic: basic, note: note?.stringValue)
        case "subscribe": self = .subscribe(try Self.sipURI(data, "entity", action))
        case "unsubscribe": self = .unsubscribe(try Self.sipURI(data, "entity", action))
        case "message":
            let recipient = try Self.sipURI(data, "to", action)
            guard let text = data["text"]?.stringValue else { throw .badRequest("message needs \"text\" (a string)") }
            if text.utf8.count > Self.maxTextBytes { throw .badRequest("message: \"text\" is longer than \(Self.maxTextBytes) bytes") }
            self = .message(to: recipient, text: text)
        case "authorize":
            let watcher = try Self.sipURI(data, "watcher", action)
            let names = PresenceRule.allCases.map(\.rawValue).joined(separator: ", ")
            guard let text = data["rule"]?.stringValue, let rule = PresenceRule(rawValue: text) else {
                throw .badRequest("authorize needs \"rule\": one of \(names)")
            }
            self = .authorize(watcher: watcher, rule: rule)
        case "rules": self = .rules
        default:
            throw .badRequest(
                "unknown action \"\(action)\"; the sip service has register, unregister, publish, subscribe, unsubscribe, message, authorize, rules")
        }
    }

    private static func sipURI(_ data: JSONValue, _ field: String, _ action: String) throws(IMSConnectorError) -> SIPURI {
        guard let text = data[field]?.stringValue else { throw .badRequest("\(action) needs \"\(field)\": a sip: URI") }
        guard let uri = try? SIPURI(parsing: text), uri.scheme == .sip || uri.scheme == .sips, uri.user != nil else {
            throw .badRequest("\(action): \"\(field)\" must be a sip:user@domain URI, not \"\(text)\"")
        }
        return uri
    }
}
