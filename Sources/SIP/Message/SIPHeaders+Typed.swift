/// Typed views of the headers every transaction needs; each parses on access and throws
/// with the reason when the header is missing or malformed.
extension SIPHeaders {
    public func via() throws(SIPParseError) -> [SIPVia] {
        let elements = values(SIPHeaderName.via)
        if elements.isEmpty { throw SIPParseError("missing Via header") }
        var vias: [SIPVia] = []
        for element in elements { vias.append(try SIPVia(parsing: element)) }
        return vias
    }

    public func topVia() throws(SIPParseError) -> SIPVia {
        guard let first = values(SIPHeaderName.via).first else { throw SIPParseError("missing Via header") }
        return try SIPVia(parsing: first)
    }

    public func from() throws(SIPParseError) -> SIPNameAddress { try single(SIPHeaderName.from) }
    public func to() throws(SIPParseError) -> SIPNameAddress { try single(SIPHeaderName.to) }

    public func callID() throws(SIPParseError) -> String {
        guard let value = self[SIPHeaderName.callID], !value.isEmpty else { throw SIPParseError("missing Call-ID header") }
        return value
    }

    public func cseq() throws(SIPParseError) -> SIPCSeq {
        guard let value = self[SIPHeaderName.cseq] else { throw SIPParseError("missing CSeq header") }
        return try SIPCSeq(parsing: value)
    }

    /// The Contact addresses; empty for none or for `*`.
    public func contacts() throws(SIPParseError) -> [SIPNameAddress] {
        var addresses: [SIPNameAddress] = []
        for element in values(SIPHeaderName.contact) where element != "*" {
            addresses.append(try SIPNameAddress(parsing: element))
        }
        return addresses
    }

    public func recordRoutes() throws(SIPParseError) -> [SIPNameAddress] {
        var addresses: [SIPNameAddress] = []
        for element in values(SIPHeaderName.recordRoute) { addresses.append(try SIPNameAddress(parsing: element)) }
        return addresses
    }

    /// A delta-seconds header (Expires, Min-Expires); values beyond 2^32-1 are clamped (RFC 3261 §20.19).
    public func deltaSeconds(_ name: String) throws(SIPParseError) -> Int? {
        guard let value = self[name] else { return nil }
        let trimmed = value.trimmingSIPWhitespace()
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy(SIPCharacterClass.isDigit) else {
            throw SIPParseError("\(name) '\(value)' is not a number of seconds")
        }
        return trimmed.count > 10 ? Int(UInt32.max) : Swift.min(Int(trimmed)!, Int(UInt32.max))
    }

    public func expires() throws(SIPParseError) -> Int? { try deltaSeconds(SIPHeaderName.expires) }

    private func single(_ name: String) throws(SIPParseError) -> SIPNameAddress {
        guard let value = self[name] else { throw SIPParseError("missing \(name) header") }
        return try SIPNameAddress(parsing: value)
    }
}
