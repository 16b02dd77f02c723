/// Header names: compact forms (RFC 3261 §7.3.3 and later RFCs) and canonical spellings.
///
/// Names compare case-insensitively; the parser stores each field under its canonical
/// spelling so that lookups and serialisation are uniform.
public enum SIPHeaderName {
    public static let via = "Via"
    public static let from = "From"
    public static let to = "To"
    public static let callID = "Call-ID"
    public static let cseq = "CSeq"
    public static let maxForwards = "Max-Forwards"
    public static let contact = "Contact"
    public static let contentLength = "Content-Length"
    public static let contentType = "Content-Type"
    public static let expires = "Expires"
    public static let event = "Event"
    public static let subscriptionState = "Subscription-State"
    public static let sipETag = "SIP-ETag"
    public static let sipIfMatch = "SIP-If-Match"
    public static let wwwAuthenticate = "WWW-Authenticate"
    public static let proxyAuthenticate = "Proxy-Authenticate"
    public static let authorization = "Authorization"
    public static let proxyAuthorization = "Proxy-Authorization"
    public static let recordRoute = "Record-Route"
    public static let route = "Route"
    public static let allow = "Allow"
    public static let date = "Date"
    public static let userAgent = "User-Agent"
    public static let minExpires = "Min-Expires"

    /// The canonical spelling of `name`: compact forms expanded, known names in their RFC case,
    /// unknown names as written.
    public static func canonical(_ name: String) -> String {
        let lower = name.lowercased()
        return canonicalByLowercase[lower] ?? name
    }

    /// The lowercase key used for case-insensitive comparison.
    static func key(_ name: String) -> String {
        let lower = name.lowercased()
        return canonicalByLowercase[lower]?.lowercased() ?? lower
    }

    private static let compactForms: [String: String] = [
        "i": callID, "m": contact, "e": "Content-Encoding", "l": contentLength, "c": contentType,
        "f": from, "s": "Subject", "k": "Supported", "t": to, "v": via, "o": event, "u": "Allow-Events",
        "r": "Refer-To", "b": "Referred-By", "x": "Session-Expires", "y": "Identity",
        "a": "Accept-Contact", "j": "Reject-Contact", "d": "Request-Disposition",
    ]

    private static let canonicalByLowercase: [String: String] = {
        let known = [
            via, from, to, callID, cseq, maxForwards, contact, contentLength, contentType, expires, event,
            subscriptionState, sipETag, sipIfMatch, wwwAuthenticate, proxyAuthenticate, authorization,
            proxyAuthorization, recordRoute, route, allow, date, userAgent, minExpires, "Subject", "Supported",
            "Allow-Events", "Content-Encoding", "Require", "Unsupported", "Retry-After", "Server", "Accept",
            "Warning", "Refer-To", "Referred-By", "Session-Expires", "Identity", "Accept-Contact",
            "Reject-Contact", "Request-Disposition",
        ]
        var table = Dictionary(uniqueKeysWithValues: known.map { ($0.lowercased(), $0) })
        for (short, long) in compactForms { table[short] = long }
        return table
    }()
}
