import Foundation

/// `"Display" <uri>;params` — the value of From, To, Contact, Route and Record-Route
/// (RFC 3261 §20.10, §25.1 name-addr / addr-spec).
public struct SIPNameAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name, unquoted; nil when there is none.
    public var displayName: String?
    public var uri: SIPURI
    public var parameters: SIPParameters

    public init(displayName: String? = nil, uri: SIPURI, parameters: SIPParameters = SIPParameters()) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    public var tag: String? {
        get { parameters["tag"] }
        set { parameters["tag"] = newValue }
    }

    /// Always written in the `<…>` form, which is valid whatever the URI holds.
    public var description: String {
        var text = ""
        if let displayName {
            let escaped = displayName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            text += "\"\(escaped)\" "
        }
        return text + "<\(uri)>" + parameters.description
    }
}

extension SIPNameAddress {
    /// Parses one name-addr or addr-spec with its header parameters.
    public init(parsing text: String) throws(SIPParseError) {
        var scanner = SIPScanner(text)
        self = try scanner.wholeNameAddress()
    }
}

extension SIPScanner {
    /// A name-addr or addr-spec that fills the rest of the scanned bytes (leading whitespace allowed).
    mutating func wholeNameAddress() throws(SIPParseError) -> SIPNameAddress {
        skipWhitespace()
        let address = try nameAddress()
        if !atEnd { throw SIPParseError("unexpected \(describePosition()) after address") }
        return address
    }

    mutating func nameAddress() throws(SIPParseError) -> SIPNameAddress {
        var displayName: String?
        if peek == UInt8(ascii: "\"") {
            displayName = try quotedString()
            skipWhitespace()
            guard peek == UInt8(ascii: "<") else { throw SIPParseError("a quoted display name must be followed by <URI>") }
        } else if peek != UInt8(ascii: "<"), bytes[index..<end].contains(UInt8(ascii: "<")) {
            displayName = try tokenDisplayName()
        }
        if consume(UInt8(ascii: "<")) {
            guard let close = bytes[index..<end].firstIndex(of: UInt8(ascii: ">")) else {
                throw SIPParseError("'<' without matching '>' in address")
            }
            if close > index, SIPCharacterClass.isWhitespace(bytes[index]) || SIPCharacterClass.isWhitespace(bytes[close - 1]) {
                throw SIPParseError("whitespace inside <…> around the URI is not allowed")
            }
            var uriScanner = subScanner(index..<close)
            let uri = try uriScanner.uri()
            if !uriScanner.atEnd { throw SIPParseError("unexpected \(uriScanner.describePosition()) in URI inside <…>") }
            index = close + 1
            return SIPNameAddress(displayName: displayName, uri: uri, parameters: try headerParameters())
        }
        // addr-spec: the URI ends at the first ';' (those are header parameters) or whitespace.
        let start = index
        while index < end, bytes[index] != UInt8(ascii: ";"), !SIPCharacterClass.isWhitespace(bytes[index]) {
            index += 1
        }
        let spec = bytes[start..<index]
        if spec.contains(UInt8(ascii: "?")) || spec.contains(UInt8(ascii: ",")) {
            throw SIPParseError("a URI with '?' or ',' must be enclosed in <…>")
        }
        var uriScanner = subScanner(start..<index)
        let uri = try uriScanner.uri()
        if !uriScanner.atEnd { throw SIPParseError("unexpected \(uriScanner.describePosition()) in address URI") }
        return SIPNameAddress(uri: uri, parameters: try headerParameters())
    }

    /// display-name = *(token LWS): words of token characters before `<`.
    private mutating func tokenDisplayName() throws(SIPParseError) -> String? {
        var words: [String] = []
        while let b = peek, b != UInt8(ascii: "<") {
            if SIPCharacterClass.isWhitespace(b) {
                skipWhitespace()
                continue
            }
            guard SIPCharacterClass.isToken(b) else {
                throw SIPParseError("character '\(String(decoding: [b], as: UTF8.self))' in display name: quote it")
            }
            words.append(take(while: SIPCharacterClass.isToken))
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
