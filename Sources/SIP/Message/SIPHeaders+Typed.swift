/// Typed views of the headers every transaction needs; each parses on access and throws
/// with the reason when the header is missing or malformed.
extension SIPHeaders {
    public func via() throws(SIPParseError) -> [SIPVia] {
        var vias: [SIPVia] = []
        try forEachElement(of: KnownHeaders.via) { (s: inout SIPScanner) throws(SIPParseError) in vias.append(try s.via()) }
        if vias.isEmpty { throw SIPParseError("missing Via header") }
        return vias
    }

    public func topVia() throws(SIPParseError) -> SIPVia {
        guard let line = first(SIPHeaderQuery(id: KnownHeaders.via)) else { throw SIPParseError("missing Via header") }
        let bytes = Array(line.utf8)
        var top: Range<Int>?
        HeaderListSplitter.forEach(bytes, 0..<bytes.count) { if top == nil { top = $0 } }
        var s = SIPScanner(bytes: bytes, range: top!)
        return try s.via()
    }

    public func from() throws(SIPParseError) -> SIPNameAddress { try single(KnownHeaders.from, SIPHeaderName.from) }
    public func to() throws(SIPParseError) -> SIPNameAddress { try single(KnownHeaders.to, SIPHeaderName.to) }

    public func callID() throws(SIPParseError) -> String {
        guard let value = first(SIPHeaderQuery(id: KnownHeaders.callID)), !value.isEmpty else {
            throw SIPParseError("missing Call-ID header")
        }
        return value
    }

    public func cseq() throws(SIPParseError) -> SIPCSeq {
        guard let value = first(SIPHeaderQuery(id: KnownHeaders.cseq)) else { throw SIPParseError("missing CSeq header") }
        return try SIPCSeq(parsing: value)
    }

    /// The Contact addresses; empty for none or for `*`.
    public func contacts() throws(SIPParseError) -> [SIPNameAddress] {
        var addresses: [SIPNameAddress] = []
        try forEachElement(of: KnownHeaders.contact) { (s: inout SIPScanner) throws(SIPParseError) in
            if s.end - s.index == 1, s.peek == UInt8(ascii: "*") { return }
            addresses.append(try s.wholeNameAddress())
        }
        return addresses
    }

    public func recordRoutes() throws(SIPParseError) -> [SIPNameAddress] {
        var addresses: [SIPNameAddress] = []
        try forEachElement(of: KnownHeaders.recordRoute) { (s: inout SIPScanner) throws(SIPParseError) in
            addresses.append(try s.wholeNameAddress())
        }
        return addresses
    }

    /// A delta-seconds header (Expires, Min-Expires); values beyond 2^32-1 are clamped (RFC 3261 §20.19).
    public func deltaSeconds(_ name: String) throws(SIPParseError) -> Int? {
        try deltaSeconds(SIPHeaderQuery(name), name)
    }

    public func expires() throws(SIPParseError) -> Int? { try deltaSeconds(SIPHeaderQuery(id: KnownHeaders.expires), SIPHeaderName.expires) }

    private func deltaSeconds(_ query: SIPHeaderQuery, _ name: String) throws(SIPParseError) -> Int? {
        guard let value = first(query) else { return nil }
        var digits = 0
        var number = 0
        var trailing = false
        for b in value.utf8 {
            if SIPCharacterClass.isWhitespace(b) {
                if digits > 0 { trailing = true }
                continue
            }
            guard !trailing, SIPCharacterClass.isDigit(b) else { throw SIPParseError("\(name) '\(value)' is not a number of seconds") }
            digits += 1
            if number <= Int(UInt32.max) { number = number * 10 + Int(b &- 0x30) }
        }
        if digits == 0 { throw SIPParseError("\(name) '\(value)' is not a number of seconds") }
        return Swift.min(number, Int(UInt32.max))
    }

    private func single(_ id: UInt8, _ name: String) throws(SIPParseError) -> SIPNameAddress {
        guard let value = first(SIPHeaderQuery(id: id)) else { throw SIPParseError("missing \(name) header") }
        return try SIPNameAddress(parsing: value)
    }

    /// Calls `body` with a scanner over each element of the comma lists in the lines of header `id`.
    private func forEachElement(of id: UInt8, _ body: (inout SIPScanner) throws(SIPParseError) -> Void) throws(SIPParseError) {
        for field in fields where field.id == id {
            try SIPScanner(field.value).forEachListElement(body)
        }
    }
}
