/// The checks that make a syntactically split message a valid SIP message (RFC 3261
/// §8.1.1, §20): required headers present once, each of them well formed, and consistent
/// with the start line. Separate from the splitter so each rule reads on its own.
///
/// The checks read the header values where the parser found them (`RawValue`) and follow the
/// same grammar as the typed views (`SIPHeaders.from()`, `.via()`…) in syntax-check mode, so
/// they refuse exactly what those would refuse without building values nobody keeps.
enum SIPMessageValidator {
    /// One header value's bytes: `bytes[range]` (the message, or the unfolded line of a folded field).
    struct RawValue {
        let id: UInt8
        let bytes: [UInt8]
        let range: Range<Int>

        func scanner(checkOnly: Bool = true) -> SIPScanner {
            var scanner = SIPScanner(bytes: bytes, range: range)
            scanner.checkOnly = checkOnly
            return scanner
        }
    }

    /// Headers that may appear at most once, in the order they are checked.
    static let singletons: [(id: UInt8, name: String)] = [
        (KnownHeaders.to, SIPHeaderName.to), (KnownHeaders.from, SIPHeaderName.from), (KnownHeaders.callID, SIPHeaderName.callID),
        (KnownHeaders.cseq, SIPHeaderName.cseq), (KnownHeaders.maxForwards, SIPHeaderName.maxForwards),
        (KnownHeaders.contentType, SIPHeaderName.contentType), (KnownHeaders.expires, SIPHeaderName.expires),
    ]

    /// Validates `message`, whose header values are `rawValues` in the same order.
    static func validate(_ message: SIPMessage, _ rawValues: [RawValue]) throws(SIPParseError) {
        let headers = message.headers
        try checkSingletons(rawValues)
        try checkAddress(rawValues, KnownHeaders.from, SIPHeaderName.from)
        try checkAddress(rawValues, KnownHeaders.to, SIPHeaderName.to)
        _ = try headers.callID()
        guard let cseqValue = rawValues.first(where: { $0.id == KnownHeaders.cseq }) else { throw SIPParseError("missing CSeq header") }
        var cseqScanner = cseqValue.scanner(checkOnly: false)
        let cseq = try SIPCSeq(scanning: &cseqScanner)
        var vias = 0
        for value in rawValues where value.id == KnownHeaders.via {
            try value.scanner().forEachListElement { (s: inout SIPScanner) throws(SIPParseError) in
                vias += 1
                _ = try s.via()
            }
        }
        if vias == 0 { throw SIPParseError("missing Via header") }
        for value in rawValues where value.id == KnownHeaders.contact {
            try value.scanner().forEachListElement { (s: inout SIPScanner) throws(SIPParseError) in
                if s.end - s.index == 1, s.peek == UInt8(ascii: "*") { return }
                _ = try s.wholeNameAddress()
            }
        }
        _ = try headers.expires()
        if let maxForwards = rawValues.first(where: { $0.id == KnownHeaders.maxForwards }) {
            var s = maxForwards.scanner()
            guard let value = s.number(maxDigits: 10), s.atEnd, value <= 255 else {
                throw SIPParseError("Max-Forwards '\(s.string(maxForwards.range))' is not a number from 0 to 255")
            }
        }
        if let date = headers.first(SIPHeaderQuery(id: KnownHeaders.date)), !date.hasSuffix(" GMT") {
            throw SIPParseError("Date '\(date)' is not an RFC 1123 date in GMT")
        }
        if let contentType = rawValues.first(where: { $0.id == KnownHeaders.contentType }) { try checkMediaType(contentType) }
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
    private static func checkSingletons(_ rawValues: [RawValue]) throws(SIPParseError) {
        var seen: UInt64 = 0
        var repeated: UInt64 = 0
        for value in rawValues where value.id < 64 {
            let bit: UInt64 = 1 << value.id
            repeated |= seen & bit
            seen |= bit
        }
        guard repeated != 0 else { return }
        for (id, name) in singletons where repeated & (1 << id) != 0 {
            throw SIPParseError("more than one \(name) header")
        }
    }

    /// The first field of `id` is one name-addr or addr-spec (From, To).
    private static func checkAddress(_ rawValues: [RawValue], _ id: UInt8, _ name: String) throws(SIPParseError) {
        guard let value = rawValues.first(where: { $0.id == id }) else { throw SIPParseError("missing \(name) header") }
        var s = value.scanner()
        _ = try s.wholeNameAddress()
    }

    private static func checkMediaType(_ raw: RawValue) throws(SIPParseError) {
        var s = raw.scanner()
        _ = try s.tokenRange("media type")
        guard s.consume(UInt8(ascii: "/")) else { throw SIPParseError("Content-Type '\(s.string(raw.range))' is not type/subtype") }
        _ = try s.tokenRange("media subtype")
        _ = try s.headerParameters()
        if !s.atEnd { throw SIPParseError("unexpected \(s.describePosition()) in Content-Type") }
    }
}
