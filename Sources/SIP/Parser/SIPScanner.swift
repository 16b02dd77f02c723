/// A cursor over the bytes of one (unfolded) header value or URI: the small set of
/// moves the grammar needs (tokens, quoted strings, whitespace, separators).
struct SIPScanner {
    let bytes: [UInt8]
    var index: Int = 0

    init(_ text: String) { self.bytes = Array(text.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    var rest: String { String(decoding: bytes[min(index, bytes.count)...], as: UTF8.self) }

    mutating func skipWhitespace() {
        while index < bytes.count, SIPCharacterClass.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
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

    /// The longest run of bytes matching `predicate` (possibly empty).
    mutating func take(while predicate: (UInt8) -> Bool) -> String {
        let start = index
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func token(_ what: @autoclosure () -> String) throws(SIPParseError) -> String {
        let value = take(while: SIPCharacterClass.isToken)
        if value.isEmpty { throw SIPParseError("expected \(what()) at \(describePosition())") }
        return value
    }

    /// A quoted-string; returns its content with quoted-pairs resolved.
    mutating func quotedString() throws(SIPParseError) -> String {
        guard consume(UInt8(ascii: "\"")) else { throw SIPParseError("expected '\"' at \(describePosition())") }
        var content: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "\"") { return String(decoding: content, as: UTF8.self) }
            if b == UInt8(ascii: "\\") {
                guard index < bytes.count else { break }
                let escaped = bytes[index]
                if escaped == 0x0A || escaped == 0x0D { throw SIPParseError("line break escaped in quoted string") }
                content.append(escaped)
                index += 1
            } else {
                content.append(b)
            }
        }
        throw SIPParseError("unterminated quoted string")
    }

    /// The raw text of a quoted string including its quotes (for round-tripping parameters).
    mutating func rawQuotedString() throws(SIPParseError) -> String {
        let start = index
        _ = try quotedString()
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    func describePosition() -> String {
        atEnd ? "end of value" : "'\(rest.prefix(20))'"
    }
}
