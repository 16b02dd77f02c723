/// The checks that make a syntactically split message a valid SIP message (RFC 3261
/// §8.1.1, §20): required headers present once, each of them well formed, and consistent
/// with the start line. Separate from the splitter so each rule reads on its own.
enum SIPMessageValidator {
    /// Headers that may appear at most once, in the order they are checked.
    static let singletons: [(id: UInt8, name: String)] = [
        (KnownHeaders.to, SIPHeaderName.to), (KnownHeaders.from, SIPHeaderName.from), (KnownHeaders.callID, SIPHeaderName.callID),
        (KnownHeaders.cseq, SIPHeaderName.cseq), (KnownHeaders.maxForwards, SIPHeaderName.maxForwards),
        (KnownHeaders.contentType, SIPHeaderName.contentType), (KnownHeaders.expires, SIPHeaderName.expires),
    ]

    static func validate(_ message: SIPMessage) throws(SIPParseError) {
        let headers = message.headers
        try checkSingletons(headers)
        _ = try headers.from()
        _ = try headers.to()
        _ = try headers.callID()
        let cseq = try headers.cseq()
        _ = try headers.via()
        _ = try headers.contacts()
        _ = try headers.expires()
        if let maxForwards = headers.first(SIPHeaderQuery(id: KnownHeaders.maxForwards)) {
            var s = SIPScanner(maxForwards)
            guard let value = s.number(maxDigits: 10), s.atEnd, value <= 255 else {
                throw SIPParseError("Max-Forwards '\(maxForwards)' is not a number from 0 to 255")
            }
        }
        if let date = headers.first(SIPHeaderQuery(id: KnownHeaders.date)), !date.hasSuffix(" GMT") {
            throw SIPParseError("Date '\(date)' is not an RFC 1123 date in GMT")
        }
        if let contentType = headers.first(SIPHeaderQuery(id: KnownHeaders.contentType)) { try checkMediaType(contentType) }
        if case .request(let request) = message {
            if cseq.method != request.method {
                throw SIPParseError("CSeq method \(cseq.method) does not match the request method \(request.method)")
            }
            if !request.uri.headers.isEmpty {
                throw SIPParseError("the Request-URI must not carry headers ('?…')")
            }
        }
    }

    /// One pass over the fields: a bit per known header seen once, another for seen twice.
    private static func checkSingletons(_ headers: SIPHeaders) throws(SIPParseError) {
        var seen: UInt64 = 0
        var repeated: UInt64 = 0
        for field in headers.fields where field.id < 64 {
            let bit: UInt64 = 1 << field.id
            repeated |= seen & bit
            seen |= bit
        }
        guard repeated != 0 else { return }
        for (id, name) in singletons where repeated & (1 << id) != 0 {
            throw SIPParseError("more than one \(name) header")
        }
    }

    private static func checkMediaType(_ value: String) throws(SIPParseError) {
        var s = SIPScanner(value)
        _ = try s.tokenRange("media type")
        guard s.consume(UInt8(ascii: "/")) else { throw SIPParseError("Content-Type '\(value)' is not type/subtype") }
        _ = try s.tokenRange("media subtype")
        _ = try s.headerParameters()
        if !s.atEnd { throw SIPParseError("unexpected \(s.describePosition()) in Content-Type") }
    }
}
