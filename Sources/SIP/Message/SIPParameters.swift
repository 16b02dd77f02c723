/// Ordered `;name=value` parameters of a URI or a header field.
///
/// Names compare case-insensitively. Values are stored as written (a quoted value keeps
/// its quotes) so that serialising gives back the same text; `self[name]` unquotes.
public struct SIPParameters: Sendable, Hashable, Sequence, CustomStringConvertible {
    public struct Parameter: Sendable, Hashable {
        public var name: String
        /// nil for a flag parameter such as `;lr`.
        public var rawValue: String?
    }

    public private(set) var items: [Parameter] = []

    public init() {}

    public func makeIterator() -> IndexingIterator<[Parameter]> { items.makeIterator() }

    public var isEmpty: Bool { items.isEmpty }

    /// The unquoted value of `name`; "" for a flag; nil when absent.
    public subscript(name: String) -> String? {
        get {
            guard let item = items.first(where: { $0.name.caseInsensitiveCompare(name) }) else { return nil }
            guard let raw = item.rawValue else { return "" }
            if raw.hasPrefix("\"") {
                var scanner = SIPScanner(raw)
                if let unquoted = try? scanner.quotedString() { return unquoted }
            }
            return raw
        }
        set {
            if let newValue {
                setRaw(name, newValue.isEmpty ? nil : newValue)
            } else {
                items.removeAll { $0.name.caseInsensitiveCompare(name) }
            }
        }
    }

    public func contains(_ name: String) -> Bool { items.contains { $0.name.caseInsensitiveCompare(name) } }

    /// Sets a value exactly as it must be written (quotes included if needed); nil for a flag.
    public mutating func setRaw(_ name: String, _ rawValue: String?) {
        if let index = items.firstIndex(where: { $0.name.caseInsensitiveCompare(name) }) {
            items[index].rawValue = rawValue
        } else {
            items.append(Parameter(name: name, rawValue: rawValue))
        }
    }

    /// `;a=b;c` as written.
    public var description: String {
        var text = ""
        for item in items {
            text += ";" + item.name
            if let value = item.rawValue { text += "=" + value }
        }
        return text
    }
}

extension String {
    /// Equal ignoring case; ASCII names (all of them in practice) compare byte by byte.
    func caseInsensitiveCompare(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var otherBytes = other.utf8.makeIterator()
        for b in utf8 {
            let o = otherBytes.next()!
            if b >= 0x80 || o >= 0x80 { return lowercased() == other.lowercased() }
            if SIPCharacterClass.lowercased(b) != SIPCharacterClass.lowercased(o) { return false }
        }
        return true
    }
}

extension SIPScanner {
    /// Header parameters: `*( SEMI generic-param )`, with whitespace allowed around `;` and `=`.
    mutating func headerParameters() throws(SIPParseError) -> SIPParameters {
        var parameters = SIPParameters()
        while consumeSeparator(UInt8(ascii: ";")) {
            let nameRange = skip(while: SIPCharacterClass.isToken)
            if nameRange.isEmpty { throw SIPParseError("empty parameter at \(describePosition())") }
            var value: String?
            if consumeSeparator(UInt8(ascii: "=")) {
                if peek == UInt8(ascii: "\"") {
                    value = try rawQuotedString()
                } else {
                    let plain = skip(while: SIPCharacterClass.isGenericValueChar)
                    if plain.isEmpty { throw SIPParseError("parameter '\(string(nameRange))' has '=' but no value") }
                    value = part(plain)
                }
            }
            if !checkOnly { parameters.setRaw(string(nameRange), value) }
        }
        skipWhitespace()
        return parameters
    }
}
