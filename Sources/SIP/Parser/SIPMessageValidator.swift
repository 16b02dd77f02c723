/// The checks that make a syntactically split message a valid SIP message (RFC 3261
/// §8.1.1, §20): required headers present once, each of them well formed, and consistent
/// with the start line. Separate from the splitter so each rule reads on its own.
enum SIPMessageValidator {
    /// Headers that may appear at most once.
    static let singletons = [
        SIPHeaderName.to, SIPHeaderName.from, SIPHeaderName.callID, SIPHeaderName.cseq,
        SIPHeaderName.maxForwards, SIPHeaderName.contentType, SIPHeaderName.expires,
    ]

    static func validate(_ message: SIPMessage) throws(SIPParseError) {
        let headers = message.headers
        for name in singletons where headers.lines(name).count > 1 {
            throw SIPParseError("more than one \(name) header")
        }
        _ = try headers.from()
        _ = try headers.to()
        _ = try headers.callID()
        let cseq = try headers.cseq()
        _ = try headers.via()
        _ = try headers.contacts()
        _ = try headers.expires()
        if let maxForwards = headers[SIPHeaderName.maxForwards] {
            guard maxForwards.count <= 10, maxForwards.utf8.allSatisfy(SIPCharacterClass.isDigit),
                  let value = Int(maxForwards), value <= 255 else {
                throw SIPParseError("Max-Forwards '\(maxForwards)' is not a number from 0 to 255")
            }
        }
        if let date = headers[SIPHeaderName.date], !date.hasSuffix(" GMT") {
            throw SIPParseError("Date '\(date)' is not an RFC 1123 date in GMT")
        }
        if let contentType = headers[SIPHeaderName.contentType] { try checkMediaType(contentType) }
        if case .request(let request) = message {
            if cseq.method != request.method {
                throw SIPParseError("CSeq method \(cseq.method) does not match the request method \(request.method)")
            }
            if !request.uri.headers.isEmpty {
                throw SIPParseError("the Request-URI must not carry headers ('?…')")
            }
        }
    }

    private static func checkMediaType(_ value: String) throws(SIPParseError) {
        var s = SIPScanner(value)
        _ = try s.token("media type")
        guard s.consume(UInt8(ascii: "/")) else { throw SIPParseError("Content-Type '\(value)' is not type/subtype") }
        _ = try s.token("media subtype")
        _ = try s.headerParameters()
        if !s.atEnd { throw SIPParseError("unexpected \(s.describePosition()) in Content-Type") }
    }
}
