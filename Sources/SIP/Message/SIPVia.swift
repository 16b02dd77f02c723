/// One Via entry (RFC 3261 §20.42): `SIP/2.0/UDP host:port;branch=…`.
public struct SIPVia: Sendable, Hashable, CustomStringConvertible {
    /// UDP, TCP, TLS, SCTP, WS, WSS or an extension, uppercased.
    public var transport: String
    public var host: String
    public var port: Int?
    public var parameters: SIPParameters

    public init(transport: String, host: String, port: Int?, branch: String) {
        self.transport = transport.uppercased()
        self.host = host
        self.port = port
        var parameters = SIPParameters()
        parameters.setRaw("branch", branch)
        self.parameters = parameters
    }

    public var branch: String? { parameters["branch"] }

    /// `host:port` as sent: the transaction key's sent-by part.
    public var sentBy: String { port.map { "\(host):\($0)" } ?? host }

    public var description: String { "SIP/2.0/\(transport) \(sentBy)\(parameters)" }
}

extension SIPVia {
    /// Parses one Via element (not a comma list).
    public init(parsing text: String) throws(SIPParseError) {
        var s = SIPScanner(text)
        s.skipWhitespace()
        let name = try s.token("protocol name in Via")
        guard s.consumeSeparator(UInt8(ascii: "/")) else { throw SIPParseError("expected '/' in Via protocol") }
        let version = try s.token("protocol version in Via")
        guard s.consumeSeparator(UInt8(ascii: "/")) else { throw SIPParseError("expected '/' in Via protocol") }
        let transport = try s.token("transport in Via")
        guard name.uppercased() == "SIP", version == "2.0" else {
            throw SIPParseError("Via protocol \(name)/\(version) is not SIP/2.0")
        }
        s.skipWhitespace()
        let host: String
        if s.peek == UInt8(ascii: "[") {
            host = s.take { $0 != UInt8(ascii: "]") && !SIPCharacterClass.isWhitespace($0) } + (s.consume(UInt8(ascii: "]")) ? "]" : "")
        } else {
            host = s.take(while: SIPCharacterClass.isHostChar)
        }
        if host.isEmpty { throw SIPParseError("Via has no sent-by host") }
        var port: Int?
        if s.consumeSeparator(UInt8(ascii: ":")) {
            let digits = s.take(while: SIPCharacterClass.isDigit)
            guard let value = Int(digits), digits.count <= 5, value <= 65535 else { throw SIPParseError("invalid port in Via") }
            port = value
        }
        self.transport = transport.uppercased()
        self.host = host
        self.port = port
        self.parameters = try s.headerParameters()
        if !s.atEnd { throw SIPParseError("unexpected \(s.describePosition()) in Via") }
    }
}
