/// The Subscription-State header (RFC 6665 §8.2.3): `active;expires=300`, `terminated;reason=timeout`.
public struct SIPSubscriptionState: Sendable, Hashable, CustomStringConvertible {
    public var state: String
    public var expires: Int?
    public var reason: String?

    public init(state: String, expires: Int? = nil, reason: String? = nil) {
        self.state = state
        self.expires = expires
        self.reason = reason
    }

    public var isTerminated: Bool { state == "terminated" }

    public var description: String {
        var text = state
        if let expires { text += ";expires=\(expires)" }
        if let reason { text += ";reason=\(reason)" }
        return text
    }

    public init(parsing value: String) throws(SIPParseError) {
        var s = SIPScanner(value)
        s.skipWhitespace()
        let state = try s.token("subscription state").lowercased()
        let parameters = try s.headerParameters()
        if !s.atEnd { throw SIPParseError("unexpected \(s.describePosition()) in Subscription-State") }
        self.init(state: state, expires: parameters["expires"].flatMap { Int($0) }, reason: parameters["reason"])
    }
}
