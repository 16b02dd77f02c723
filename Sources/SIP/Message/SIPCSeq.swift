/// The CSeq header (RFC 3261 §20.16): a sequence number below 2^31 and the method.
public struct SIPCSeq: Sendable, Hashable, CustomStringConvertible {
    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) {
        self.sequence = sequence
        self.method = method
    }

    public var description: String { "\(sequence) \(method)" }

    public init(parsing text: String) throws(SIPParseError) {
        var s = SIPScanner(text)
        try self.init(scanning: &s)
    }

    /// Parses the rest of the scanner's bytes.
    init(scanning s: inout SIPScanner) throws(SIPParseError) {
        s.skipWhitespace()
        let digits = s.skip(while: SIPCharacterClass.isDigit)
        guard !digits.isEmpty else { throw SIPParseError("CSeq has no sequence number") }
        var number: UInt64 = 0
        for index in digits where number < (1 << 31) { number = number * 10 + UInt64(s.bytes[index] &- 0x30) }
        guard digits.count <= 10, number < (1 << 31) else {
            throw SIPParseError("CSeq number \(s.string(digits)) is not below 2^31")
        }
        s.skipWhitespace()
        let method = s.string(try s.tokenRange("method in CSeq"))
        s.skipWhitespace()
        if !s.atEnd { throw SIPParseError("unexpected \(s.describePosition()) in CSeq") }
        self.init(UInt32(number), SIPMethod(method))
    }
}
