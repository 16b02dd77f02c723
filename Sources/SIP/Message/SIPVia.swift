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

    init(transport: String, host: String, port: Int?, parameters: SIPParameters) {
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = parameters
    }
}

extension SIPVia {
    /// Parses one Via element (not a comma list).
    public init(parsing text: String) throws(SIPParseError) {
        var s = SIPScanner(text)
        self = try s.via()
    }
}

extension SIPScanner {
    /// One Via element filling the rest of the scanned bytes.
    mutating func via() throws(SIPParseError) -> SIPVia {
        skipWhitespace()
        let name = try tokenRange("protocol name in Via")
        guard consumeSeparator(UInt8(ascii: "/")) else { throw SIPParseError("expected '/' in Via protocol") }
        let version = try tokenRange("protocol version in Via")
        guard consumeSeparator(UInt8(ascii: "/")) else { throw SIPParseError("expected '/' in Via protocol") }
        let transport = try tokenRange("transport in Via")
        guard string(name).uppercased() == "SIP", bytes[version].elementsEqual("2.0".utf8) else {
            throw SIPParseError("Via protocol \(string(name))/\(string(version)) is not SIP/2.0")
        }
        skipWhitespace()
        let host: Range<Int>
        if peek == UInt8(ascii: "[") {
            let start = index
            skip { $0 != UInt8(ascii: "]") && !SIPCharacterClass.isWhitespace($0) }
            _ = consume(UInt8(ascii: "]"))
            host = start..<index
        } else {
            host = skip(while: SIPCharacterClass.isHostChar)
        }
        if host.isEmpty { throw SIPParseError("Via has no sent-by host") }
        var port: Int?
        if consumeSeparator(UInt8(ascii: ":")) {
            guard let value = number(maxDigits: 5), value <= 65535 else { throw SIPParseError("invalid port in Via") }
            port = value
        }
        let parameters = try headerParameters()
        if !atEnd { throw SIPParseError("unexpected \(describePosition()) in Via") }
        return SIPVia(transport: checkOnly ? "" : uppercased(transport), host: part(host), port: port, parameters: parameters)
    }

    /// The ASCII uppercase text of `range` (a token).
    private func uppercased(_ range: Range<Int>) -> String {
        if !bytes[range].contains(where: { $0 &- 0x61 < 26 }) { return string(range) }
        return String(decoding: bytes[range].map { $0 &- 0x61 < 26 ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
