/// A cursor over the bytes of one (unfolded) header value or URI: the small set of
/// moves the grammar needs (tokens, quoted strings, whitespace, separators).
///
/// It reads `bytes[index..<end]`, so a scanner for a part of a value (the URI inside `<…>`,
/// one element of a comma list) shares the bytes instead of copying them.
struct SIPScanner {
    let bytes: [UInt8]
    var index: Int
    /// One past the last byte this scanner reads.
    let end: Int
    /// Syntax check only: the grammar is followed and refused exactly as usual, but the parts of
    /// values are not built (`part` gives ""). The validator checks headers it then throws away.
    var checkOnly = false

    init(_ text: String) { self.init(bytes: Array(text.utf8)) }
    init(bytes: [UInt8]) { self.init(bytes: bytes, range: 0..<bytes.count) }
    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    var atEnd: Bool { index >= end }
    var peek: UInt8? { index < end ? bytes[index] : nil }
    var rest: String { String(decoding: bytes[min(index, end)..<end], as: UTF8.self) }

    mutating func skipWhitespace() {
        while index < end, SIPCharacterClass.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < end, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `byte` with optional whitespace around it (SWS x SWS).
    mutating func consumeSeparator(_ byte: UInt8) -> Bool {
        let start = index
        skipWhitespace()
        if consume(byte) {
            skipWhitespace()
            return true
        }
        index = start
        return false
    }

    /// Skips the longest run of bytes matching `predicate` (possibly empty) and returns its range.
    @discardableResult
    mutating func skip(while predicate: (UInt8) -> Bool) -> Range<Int> {
        let start = index
        while index < end, predicate(bytes[index]) { index += 1 }
        return start..<index
    }

    /// The longest run of bytes matching `predicate` (possibly empty), as a `part`.
    mutating func take(while predicate: (UInt8) -> Bool) -> String {
        part(skip(while: predicate))
    }

    /// The text of `range` of the scanned bytes.
    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The text of `range` as part of a value: "" when only checking syntax. Grammar decisions and
    /// error messages never use parts.
    func part(_ range: Range<Int>) -> String { checkOnly ? "" : string(range) }

    /// A scanner over `range` of the same bytes, in the same mode.
    func subScanner(_ range: Range<Int>) -> SIPScanner {
        var scanner = SIPScanner(bytes: bytes, range: range)
        scanner.checkOnly = checkOnly
        return scanner
    }

    mutating func token(_ what: @autoclosure () -> String) throws(SIPParseError) -> String {
        string(try tokenRange(what()))
    }

    /// Like `token`, without building the text.
    mutating func tokenRange(_ what: @autoclosure () -> String) throws(SIPParseError) -> Range<Int> {
        let range = skip(while: SIPCharacterClass.isToken)
        if range.isEmpty { throw SIPParseError("expected \(what()) at \(describePosition())") }
        return range
    }

    /// A run of 1 to `maxDigits` decimal digits as a number; nil when there is no digit or too many.
    mutating func number(maxDigits: Int) -> Int? {
        let digits = skip(while: SIPCharacterClass.isDigit)
        guard !digits.isEmpty, digits.count <= maxDigits else { return nil }
        var value = 0
        for index in digits { value = value * 10 + Int(bytes[index] &- 0x30) }
        return value
    }

    /// A quoted-string; returns its content with quoted-pairs resolved.
    mutating func quotedString() throws(SIPParseError) -> String {
        let start = index
        let hasEscapes = try skipQuotedString()
        guard hasEscapes, !checkOnly else { return part((start + 1)..<(index - 1)) }
        var content: [UInt8] = []
        var position = start + 1
        while position < index - 1 {
            if bytes[position] == UInt8(ascii: "\\") { position += 1 }
            content.append(bytes[position])
            position += 1
        }
        return String(decoding: content, as: UTF8.self)
    }

    /// The raw text of a quoted string including its quotes (for round-tripping parameters).
    mutating func rawQuotedString() throws(SIPParseError) -> String {
        let start = index
        _ = try skipQuotedString()
        return part(start..<index)
    }

    /// Moves past a quoted-string; true when it holds quoted-pairs (`\x`).
    private mutating func skipQuotedString() throws(SIPParseError) -> Bool {
        guard consume(UInt8(ascii: "\"")) else { throw SIPParseError("expected '\"' at \(describePosition())") }
        var hasEscapes = false
        while index < end {
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "\"") { return hasEscapes }
            if b == UInt8(ascii: "\\") {
                guard index < end else { break }
                let escaped = bytes[index]
                if escaped == 0x0A || escaped == 0x0D { throw SIPParseError("line break escaped in quoted string") }
                hasEscapes = true
                index += 1
            }
        }
        throw SIPParseError("unterminated quoted string")
    }

    func describePosition() -> String {
        atEnd ? "end of value" : "'\(rest.prefix(20))'"
    }
}
