/// A URI as SIP uses it (RFC 3261 §19.1, RFC 3966): `sip:`, `sips:` and `tel:` are parsed
/// into parts; other schemes are kept whole.
///
/// Escapes (`%41`) are kept as written so the URI serialises unchanged; `comparisonKey`
/// resolves them for matching (RFC 3261 §19.1.4).
public struct SIPURI: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: Sendable, Hashable {
        case sip, sips, tel
        case other(String)

        public var name: String {
            switch self {
            case .sip: "sip"
            case .sips: "sips"
            case .tel: "tel"
            case .other(let name): name
            }
        }
    }

    public var scheme: Scheme
    /// The user part of a sip/sips URI, or the number of a tel URI.
    public var user: String?
    public var password: String?
    /// Empty for tel and opaque URIs.
    public var host: String
    public var port: Int?
    public var parameters: SIPParameters
    /// `?name=value&…` of a sip/sips URI, as written.
    public var headers: [(name: String, value: String)]
    /// Everything after `scheme:` for schemes we do not parse.
    public var opaque: String?

    public init(scheme: Scheme = .sip, user: String? = nil, host: String, port: Int? = nil,
                parameters: SIPParameters = SIPParameters()) {
        self.scheme = scheme
        self.user = user
        self.password = nil
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = []
        self.opaque = nil
    }

    public var description: String {
        if let opaque { return scheme.name + ":" + opaque }
        var text = scheme.name + ":"
        if scheme == .tel { return text + (user ?? "") + parameters.description }
        if let user {
            text += user
            if let password { text += ":" + password }
            text += "@"
        }
        text += host
        if let port { text += ":\(port)" }
        text += parameters.description
        if !headers.isEmpty { text += "?" + headers.map { "\($0.name)=\($0.value)" }.joined(separator: "&") }
        return text
    }

    /// `sip:user@host` with escapes resolved and the host lowercased: the key of an
    /// address-of-record in a registrar or presence table.
    public var addressOfRecord: String {
        if opaque != nil { return description }
        let userPart = user.map { SIPURI.unescape($0) + "@" } ?? ""
        let schemeName = scheme == .sips ? "sip" : scheme.name
        return schemeName + ":" + userPart + host.lowercased()
    }

    public static func == (lhs: SIPURI, rhs: SIPURI) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// Resolves `%HH` escapes (invalid escapes are left as written).
    public static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
