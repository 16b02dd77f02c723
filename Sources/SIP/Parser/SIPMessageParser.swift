/// Parses one SIP message from bytes (RFC 3261 §7): a UDP datagram, or one message that a
/// stream framer (`SIPStreamFramer`) has cut out of a TCP/TLS byte stream.
///
/// Strict where the RFC requires (start line spacing, version, required headers, CSeq
/// range, Content-Length against the bytes received), forgiving where it allows (header
/// name case, compact forms, folding, whitespace around separators, bare LF line ends,
/// leading CRLF keep-alives). Knows nothing about sockets.
public struct SIPMessageParser: Sendable {
    /// Size limits that protect the process from oversized input.
    public struct Limits: Sendable {
        public var maxHeaderBytes: Int
        public var maxBodyBytes: Int

        public init(maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 1 << 20) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Parses and validates one message. `isStream` requires Content-Length (RFC 3261 §18.3);
    /// for datagrams a missing Content-Length means "the rest of the datagram".
    public func parse(_ bytes: [UInt8], isStream: Bool = false) throws(SIPParseError) -> SIPMessage {
        var start = 0
        while start < bytes.count, bytes[start] == 0x0D || bytes[start] == 0x0A { start += 1 }
        guard start < bytes.count else { throw SIPParseError("empty message") }
        guard let (headerEnd, bodyStart) = Self.findHeaderEnd(bytes, from: start) else {
            if bytes.count - start > limits.maxHeaderBytes { throw SIPParseError("header section exceeds \(limits.maxHeaderBytes) bytes") }
            throw SIPParseError("message ends before the blank line that closes the headers")
        }
        if headerEnd - start > limits.maxHeaderBytes { throw SIPParseError("header section exceeds \(limits.maxHeaderBytes) bytes") }

        let lines = try Self.unfoldedLines(bytes, from: start, to: headerEnd)
        var headers = SIPHeaders()
        for line in lines.dropFirst() {
            let (name, value) = try Self.headerField(line)
            headers.add(name, value)
        }
        let body = try extractBody(bytes, bodyStart: bodyStart, headers: headers, isStream: isStream)
        let message = try Self.startLine(lines[0], headers: headers, body: body)
        try SIPMessageValidator.validate(message)
        return message
    }

    /// Convenience for text (tests, the command line).
    public func parse(_ text: String, isStream: Bool = false) throws(SIPParseError) -> SIPMessage {
        try parse(Array(text.utf8), isStream: isStream)
    }

    /// The index of the empty line's start and of the first body byte.
    static func findHeaderEnd(_ bytes: [UInt8], from start: Int) -> (Int, Int)? {
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }

    /// Lines of the header section with continuation lines (starting with SP/HT) joined by one space.
    static func unfoldedLines(_ bytes: [UInt8], from start: Int, to end: Int) throws(SIPParseError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var lineStart = start
        var index = start
        while index <= end {
            if index == end || bytes[index] == 0x0A {
                var lineEnd = index
                if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = bytes[lineStart..<lineEnd]
                if let first = line.first, SIPCharacterClass.isWhitespace(first) {
                    guard !lines.isEmpty else { throw SIPParseError("message starts with whitespace") }
                    if lines.count == 1 { throw SIPParseError("the start line cannot be continued on a folded line") }
                    var trimmed = line.drop(while: SIPCharacterClass.isWhitespace)[...]
                    while let last = trimmed.last, SIPCharacterClass.isWhitespace(last) { trimmed = trimmed.dropLast() }
                    // A fold is one LWS: join with a single space (dropping the line's own trailing space).
                    while let last = lines[lines.count - 1].last, SIPCharacterClass.isWhitespace(last) {
                        lines[lines.count - 1].removeLast()
                    }
                    if !trimmed.isEmpty {
                        lines[lines.count - 1].append(0x20)
                        lines[lines.count - 1].append(contentsOf: trimmed)
                    }
                } else {
                    lines.append(Array(line))
                }
                lineStart = index + 1
            }
            index += 1
        }
        return lines
    }

    static func headerField(_ line: [UInt8]) throws(SIPParseError) -> (String, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw SIPParseError("header line without ':': '\(String(decoding: line.prefix(40), as: UTF8.self))'")
        }
        var nameEnd = colon
        while nameEnd > 0, SIPCharacterClass.isWhitespace(line[nameEnd - 1]) { nameEnd -= 1 }
        let name = line[..<nameEnd]
        guard !name.isEmpty, name.allSatisfy(SIPCharacterClass.isToken) else {
            throw SIPParseError("invalid header name '\(String(decoding: line[..<colon], as: UTF8.self))'")
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, SIPCharacterClass.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, SIPCharacterClass.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        return (String(decoding: name, as: UTF8.self), String(decoding: line[valueStart..<valueEnd], as: UTF8.self))
    }

    private func extractBody(_ bytes: [UInt8], bodyStart: Int, headers: SIPHeaders, isStream: Bool) throws(SIPParseError) -> [UInt8] {
        let available = bytes.count - bodyStart
        guard let length = try Self.contentLength(headers) else {
            if isStream { throw SIPParseError("Content-Length is required on stream transports") }
            if available > limits.maxBodyBytes { throw SIPParseError("body of \(available) bytes exceeds the limit of \(limits.maxBodyBytes)") }
            return Array(bytes[bodyStart...])
        }
        if length > limits.maxBodyBytes { throw SIPParseError("body of \(length) bytes exceeds the limit of \(limits.maxBodyBytes)") }
        if length > available { throw SIPParseError("Content-Length \(length) is larger than the \(available) body bytes received") }
        return Array(bytes[bodyStart..<(bodyStart + length)])
    }

    /// The Content-Length, nil when absent; conflicting or non-numeric values are errors.
    static func contentLength(_ headers: SIPHeaders) throws(SIPParseError) -> Int? {
        let values = headers.lines(SIPHeaderName.contentLength)
        guard let first = values.first else { return nil }
        if values.contains(where: { $0 != first }) { throw SIPParseError("conflicting Content-Length headers") }
        guard !first.isEmpty, first.count <= 10, first.utf8.allSatisfy(SIPCharacterClass.isDigit), let length = Int(first) else {
            throw SIPParseError("Content-Length '\(first)' is not a number")
        }
        return length
    }

    static func startLine(_ line: [UInt8], headers: SIPHeaders, body: [UInt8]) throws(SIPParseError) -> SIPMessage {
        let text = String(decoding: line, as: UTF8.self)
        if line.count >= 4, line[0..<4].elementsEqual("SIP/".utf8) {
            return .response(try statusLine(line, text: text, headers: headers, body: body))
        }
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            if let last = line.last, SIPCharacterClass.isWhitespace(last) { throw SIPParseError("trailing whitespace in request line '\(text)'") }
            throw SIPParseError("request line must be 'Method SP Request-URI SP SIP/2.0' with single spaces: '\(text)'")
        }
        guard parts[0].allSatisfy(SIPCharacterClass.isToken) else { throw SIPParseError("invalid method in request line '\(text)'") }
        try checkVersion(parts[2])
        let uri: SIPURI
        do {
            uri = try SIPURI(parsing: String(decoding: parts[1], as: UTF8.self))
        } catch {
            throw SIPParseError("invalid Request-URI: \(error.reason)")
        }
        return .request(SIPRequest(method: SIPMethod(String(decoding: parts[0], as: UTF8.self)), uri: uri, headers: headers, body: body))
    }

    private static func statusLine(_ line: [UInt8], text: String, headers: SIPHeaders, body: [UInt8]) throws(SIPParseError) -> SIPResponse {
        guard let firstSpace = line.firstIndex(of: 0x20) else { throw SIPParseError("status line has no status code: '\(text)'") }
        try checkVersion(line[..<firstSpace])
        let rest = line[(firstSpace + 1)...]
        let codeBytes = rest.prefix { $0 != 0x20 }
        guard codeBytes.count == 3, codeBytes.allSatisfy(SIPCharacterClass.isDigit),
              let code = Int(String(decoding: codeBytes, as: UTF8.self)), (100...699).contains(code) else {
            throw SIPParseError("status code must be three digits from 100 to 699: '\(text)'")
        }
        let reasonBytes = rest.dropFirst(codeBytes.count)
        if let first = reasonBytes.first, first != 0x20 { throw SIPParseError("expected a space after the status code") }
        return SIPResponse(statusCode: code, reason: String(decoding: reasonBytes.dropFirst(), as: UTF8.self), headers: headers, body: body)
    }

    private static func checkVersion(_ version: ArraySlice<UInt8>) throws(SIPParseError) {
        let text = String(decoding: version, as: UTF8.self)
        guard text.uppercased() == "SIP/2.0" else {
            if text.uppercased().hasPrefix("SIP/") { throw SIPParseError("unsupported SIP version '\(text)'") }
            throw SIPParseError("expected SIP/2.0, found '\(text)'")
        }
    }
}
