/// The character classes of the RFC 3261 §25.1 grammar, as byte predicates.
///
/// Written as `switch` ranges rather than lookup tables or `"…".utf8.contains`: the compiler
/// turns them into a few compares with no global to initialise, which matters in the parser's
/// inner loops.
enum SIPCharacterClass {
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    static func isHexDigit(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66: true
        default: false
        }
    }

    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    static func isToken(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "!"),
             UInt8(ascii: "%"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "`"),
             UInt8(ascii: "'"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "!"), UInt8(ascii: "~"), UInt8(ascii: "*"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"): true
        default: false
        }
    }

    static func isUserChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "$"), UInt8(ascii: ","),
             UInt8(ascii: ";"), UInt8(ascii: "?"), UInt8(ascii: "/"): true
        default: isUnreserved(b)
        }
    }

    static func isPasswordChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "$"), UInt8(ascii: ","): true
        default: isUnreserved(b)
        }
    }

    static func isURIParamChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "&"),
             UInt8(ascii: "+"), UInt8(ascii: "$"): true
        default: isUnreserved(b)
        }
    }

    static func isURIHeaderChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: ":"),
             UInt8(ascii: "+"), UInt8(ascii: "$"): true
        default: isUnreserved(b)
        }
    }

    static func isHostChar(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") }

    /// A header parameter value: token or host characters; non-ASCII UTF-8 is accepted too
    /// (RFC 4475 §3.1.1.2 sends one), which is forgiving where nothing breaks.
    static func isGenericValueChar(_ b: UInt8) -> Bool {
        isToken(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b >= 0x80
    }

    /// The ASCII lowercase of `b` (other bytes unchanged).
    static func lowercased(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
}
