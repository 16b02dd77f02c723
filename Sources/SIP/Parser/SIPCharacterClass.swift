/// The character classes of the RFC 3261 §25.1 grammar, as byte predicates.
enum SIPCharacterClass {
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    static func isToken(_ b: UInt8) -> Bool { tokenTable[Int(b)] }

    /// mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    static func isUnreserved(_ b: UInt8) -> Bool { unreservedTable[Int(b)] }

    static func isUserChar(_ b: UInt8) -> Bool { isUnreserved(b) || "&=+$,;?/".utf8.contains(b) }
    static func isPasswordChar(_ b: UInt8) -> Bool { isUnreserved(b) || "&=+$,".utf8.contains(b) }
    static func isURIParamChar(_ b: UInt8) -> Bool { isUnreserved(b) || "[]/:&+$".utf8.contains(b) }
    static func isURIHeaderChar(_ b: UInt8) -> Bool { isUnreserved(b) || "[]/?:+$".utf8.contains(b) }
    static func isHostChar(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") }

    /// A header parameter value: token or host characters; non-ASCII UTF-8 is accepted too
    /// (RFC 4475 §3.1.1.2 sends one), which is forgiving where nothing breaks.
    static func isGenericValueChar(_ b: UInt8) -> Bool {
        isToken(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b >= 0x80
    }

    private static let tokenTable: [Bool] = (0..<256).map { value in
        let b = UInt8(value)
        return isAlphanumeric(b) || "-.!%*_+`'~".utf8.contains(b)
    }

    private static let unreservedTable: [Bool] = (0..<256).map { value in
        let b = UInt8(value)
        return isAlphanumeric(b) || "-_.!~*'()".utf8.contains(b)
    }
}
