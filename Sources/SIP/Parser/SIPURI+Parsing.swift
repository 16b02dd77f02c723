extension SIPURI {
    /// Parses a whole URI; throws with the reason when the text is not one.
    public init(parsing text: String) throws(SIPParseError) {
        var scanner = SIPScanner(text)
        self = try scanner.uri()
        if !scanner.atEnd { throw SIPParseError("unexpected \(scanner.describePosition()) in URI '\(text)'") }
    }
}

extension SIPScanner {
    /// A URI starting here and running to the end of the scanner's bytes.
    mutating func uri() throws(SIPParseError) -> SIPURI {
        guard let first = peek, SIPCharacterClass.lowercased(first) &- 0x61 < 26 else {
            throw SIPParseError("URI must start with a scheme, found \(describePosition())")
        }
        let schemeRange = skip { SIPCharacterClass.isAlphanumeric($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        guard consume(UInt8(ascii: ":")) else { throw SIPParseError("missing ':' after URI scheme '\(string(schemeRange).lowercased())'") }
        if isScheme(schemeRange, "sip") { return try sipURI(scheme: .sip) }
        if isScheme(schemeRange, "sips") { return try sipURI(scheme: .sips) }
        if isScheme(schemeRange, "tel") { return try telURI() }
        let opaque = skip { $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "\"") }
        if opaque.isEmpty { throw SIPParseError("empty '\(string(schemeRange).lowercased()):' URI") }
        var uri = SIPURI(scheme: .other(part(schemeRange).lowercased()), host: "")
        uri.opaque = part(opaque)
        return uri
    }

    /// Whether `range` spells `name` (lowercase ASCII) in any case.
    private func isScheme(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for (offset, b) in expected.enumerated() where SIPCharacterClass.lowercased(bytes[range.lowerBound + offset]) != b {
            return false
        }
        return true
    }

    private mutating func sipURI(scheme: SIPURI.Scheme) throws(SIPParseError) -> SIPURI {
        var uri = SIPURI(scheme: scheme, host: "")
        // userinfo: everything before the first '@' (the user part may hold ';' and '?').
        if let at = bytes[index..<end].firstIndex(of: UInt8(ascii: "@")) {
            let userinfo = bytes[index..<at]
            let colon = userinfo.firstIndex(of: UInt8(ascii: ":"))
            let userBytes = userinfo[..<(colon ?? at)]
            if userBytes.isEmpty { throw SIPParseError("empty user part in SIP URI") }
            try Self.checkEscaped(userBytes, allowed: SIPCharacterClass.isUserChar, what: "user part")
            uri.user = part(userBytes.indices)
            if let colon {
                let passwordBytes = userinfo[(colon + 1)...]
                try Self.checkEscaped(passwordBytes, allowed: SIPCharacterClass.isPasswordChar, what: "password")
                uri.password = part(passwordBytes.indices)
            }
            index = at + 1
        }
        uri.host = try host()
        if consume(UInt8(ascii: ":")) {
            guard let port = number(maxDigits: 5), port <= 65535 else { throw SIPParseError("invalid port in SIP URI") }
            uri.port = port
        }
        uri.parameters = try uriParameters()
        if consume(UInt8(ascii: "?")) {
            repeat {
                let name = skip { SIPCharacterClass.isURIHeaderChar($0) || $0 == UInt8(ascii: "%") }
                guard !name.isEmpty, consume(UInt8(ascii: "=")) else { throw SIPParseError("malformed URI header") }
                let value = take { SIPCharacterClass.isURIHeaderChar($0) || $0 == UInt8(ascii: "%") }
                uri.headers.append((part(name), value))
            } while consume(UInt8(ascii: "&"))
        }
        return uri
    }

    private mutating func telURI() throws(SIPParseError) -> SIPURI {
        let number = skip { b in
            switch b {
            case UInt8(ascii: "*"), UInt8(ascii: "#"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "("), UInt8(ascii: ")"): true
            default: SIPCharacterClass.isHexDigit(b)
            }
        }
        if number.isEmpty || (number.count == 1 && bytes[number.lowerBound] == UInt8(ascii: "+")) {
            throw SIPParseError("tel URI has no number")
        }
        var uri = SIPURI(scheme: .tel, user: part(number), host: "")
        uri.parameters = try uriParameters()
        return uri
    }

    private mutating func host() throws(SIPParseError) -> String {
        if consume(UInt8(ascii: "[")) {
            let address = skip { SIPCharacterClass.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }
            guard !address.isEmpty, consume(UInt8(ascii: "]")) else { throw SIPParseError("malformed IPv6 reference in URI") }
            return part((address.lowerBound - 1)..<index)
        }
        let name = skip(while: SIPCharacterClass.isHostChar)
        if name.isEmpty { throw SIPParseError("missing host in SIP URI at \(describePosition())") }
        return part(name)
    }

    private mutating func uriParameters() throws(SIPParseError) -> SIPParameters {
        var parameters = SIPParameters()
        while consume(UInt8(ascii: ";")) {
            let start = index
            let name = skip { SIPCharacterClass.isURIParamChar($0) || $0 == UInt8(ascii: "%") }
            if name.isEmpty { throw SIPParseError("empty URI parameter") }
            var value: Range<Int>?
            if consume(UInt8(ascii: "=")) {
                let text = skip { SIPCharacterClass.isURIParamChar($0) || $0 == UInt8(ascii: "%") }
                if text.isEmpty { throw SIPParseError("URI parameter '\(string(name))' has '=' but no value") }
                value = text
            }
            try Self.checkEscaped(bytes[start..<index], allowed: { _ in true }, what: "URI parameter")
            if !checkOnly { parameters.setRaw(string(name), value.map(string)) }
        }
        return parameters
    }

    /// Every byte is `allowed` or part of a `%HH` escape.
    private static func checkEscaped(_ part: ArraySlice<UInt8>, allowed: (UInt8) -> Bool, what: String) throws(SIPParseError) {
        var index = part.startIndex
        while index < part.endIndex {
            let b = part[index]
            if b == UInt8(ascii: "%") {
                guard index + 2 < part.endIndex,
                      SIPCharacterClass.isHexDigit(part[index + 1]), SIPCharacterClass.isHexDigit(part[index + 2]) else {
                    throw SIPParseError("bad escape in URI \(what)")
                }
                index += 3
            } else {
                guard allowed(b) else {
                    throw SIPParseError("character '\(String(decoding: [b], as: UTF8.self))' not allowed in URI \(what)")
                }
                index += 1
            }
        }
    }
}
