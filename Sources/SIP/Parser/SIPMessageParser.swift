#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
    ///
    /// One pass over the bytes: each header line becomes one field (its name resolved to a
    /// known id without building a String, its value one String); only folded lines are copied.
    public func parse(_ bytes: [UInt8], isStream: Bool = false) throws(SIPParseError) -> SIPMessage {
        var start = 0
        while start < bytes.count, bytes[start] == 0x0D || bytes[start] == 0x0A { start += 1 }
        guard start < bytes.count else { throw SIPParseError("empty message") }
        let (lines, bodyStart) = try headerLines(bytes, from: start)

        if SIPCharacterClass.isWhitespace(bytes[lines[0].lowerBound]) { throw SIPParseError("message starts with whitespace") }
        if lines.count > 1, SIPCharacterClass.isWhitespace(bytes[lines[1].lowerBound]) {
            throw SIPParseError("the start line cannot be continued on a folded line")
        }
        var headers = SIPHeaders()
        headers.reserveCapacity(lines.count - 1)
        // Where each value's bytes are, so that the validator checks them without copies.
        var rawValues: [SIPMessageValidator.RawValue] = []
        rawValues.reserveCapacity(lines.count - 1)
        var next = 1
        while next < lines.count {
            let line = lines[next]
            next += 1
            let folded = next < lines.count && SIPCharacterClass.isWhitespace(bytes[lines[next].lowerBound])
            let source = folded ? Self.unfold(bytes, lines, &next) : bytes
            let (field, valueRange) = try source.withUnsafeBufferPointer { (buffer) throws(SIPParseError) in
                try Self.headerField(buffer, folded ? 0..<buffer.count : line)
            }
            headers.append(field)
            rawValues.append(.init(id: field.id, bytes: source, range: valueRange))
        }
        let body = try extractBody(bytes, bodyStart: bodyStart, headers: headers, isStream: isStream)
        let message = try Self.startLine(bytes, lines[0], headers: headers, body: body)
        try SIPMessageValidator.validate(message, rawValues)
        return message
    }

    /// Convenience for text (tests, the command line).
    public func parse(_ text: String, isStream: Bool = false) throws(SIPParseError) -> SIPMessage {
        try parse(Array(text.utf8), isStream: isStream)
    }

    /// The lines of the header section, start line first (each without its CR LF or LF, and
    /// never empty), and the index of the first body byte after the blank line.
    private func headerLines(_ bytes: [UInt8], from start: Int) throws(SIPParseError) -> (lines: [Range<Int>], bodyStart: Int) {
        var tooLong: SIPParseError { SIPParseError("header section exceeds \(limits.maxHeaderBytes) bytes") }
        // The section ends at most 2 bytes before the blank line's LF: a blank line past
        // `searchEnd` would make it too long, so the search stops there.
        let searchEnd = Swift.min(bytes.count, start + limits.maxHeaderBytes + 3)
        let found: (lines: [Range<Int>], headerEnd: Int, bodyStart: Int)? = bytes.withUnsafeBufferPointer { buffer in
            var lines: [Range<Int>] = []
            lines.reserveCapacity(16)
            var lineStart = start
            var lineFeed = start
            while true {
                guard lineFeed < searchEnd,
                      let found = memchr(buffer.baseAddress! + lineFeed, 0x0A, searchEnd - lineFeed) else { return nil }
                lineFeed = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                var lineEnd = lineFeed
                if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                if lineEnd == lineStart { return (lines, lineStart - 1, lineFeed + 1) }
                lines.append(lineStart..<lineEnd)
                lineFeed += 1
                lineStart = lineFeed
            }
        }
        guard let found else {
            if bytes.count - start > limits.maxHeaderBytes { throw tooLong }
            throw SIPParseError("message ends before the blank line that closes the headers")
        }
        // The section runs to the LF that ends its last line.
        if found.headerEnd - start > limits.maxHeaderBytes { throw tooLong }
        return (found.lines, found.bodyStart)
    }

    /// `lines[next - 1]` joined with the continuation lines (starting with SP/HT) from `next` on, each
    /// fold becoming one space: the line's own trailing whitespace and the continuation's leading
    /// whitespace are dropped (RFC 3261 §7.3.1). Leaves `next` at the first line that is not a continuation.
    private static func unfold(_ bytes: [UInt8], _ lines: [Range<Int>], _ next: inout Int) -> [UInt8] {
        var joined = Array(bytes[lines[next - 1]])
        while next < lines.count, SIPCharacterClass.isWhitespace(bytes[lines[next].lowerBound]) {
            let trimmed = HeaderListSplitter.trimmed(bytes, lines[next])
            next += 1
            while let last = joined.last, SIPCharacterClass.isWhitespace(last) { joined.removeLast() }
            if !trimmed.isEmpty {
                joined.append(0x20)
                joined.append(contentsOf: bytes[trimmed])
            }
        }
        return joined
    }

    /// One header field from `bytes[line]`: name resolved to its canonical form, value trimmed.
    static func headerField(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) throws(SIPParseError)
        -> (field: SIPHeaderField, valueRange: Range<Int>) {
        // The usual shape, in one pass: token, optional whitespace, ':'.
        var nameEnd = line.lowerBound
        while nameEnd < line.upperBound, SIPCharacterClass.isToken(bytes[nameEnd]) { nameEnd += 1 }
        var colon = nameEnd
        while colon < line.upperBound, SIPCharacterClass.isWhitespace(bytes[colon]) { colon += 1 }
        guard nameEnd > line.lowerBound, colon < line.upperBound, bytes[colon] == UInt8(ascii: ":") else {
            throw malformedHeaderLine(bytes, line)
        }
        let name = bytes[line.lowerBound..<nameEnd]
        let valueRange = HeaderListSplitter.trimmed(bytes, (colon + 1)..<line.upperBound)
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueRange]), as: UTF8.self)
        let id = KnownHeaders.table.id(bytes: UnsafeBufferPointer(rebasing: name))
        if id != KnownHeaders.unknown { return (SIPHeaderField(id: id, value: value), valueRange) }
        // A token is ASCII, so its ASCII lowercase is its lowercase.
        let key = String(decoding: name.map(SIPCharacterClass.lowercased), as: UTF8.self)
        return (SIPHeaderField(unknownName: String(decoding: name, as: UTF8.self), key: key, value: value), valueRange)
    }

    /// Why `bytes[line]` is not `token *WSP ":" value`.
    private static func malformedHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> SIPParseError {
        guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else {
            return SIPParseError("header line without ':': '\(String(decoding: bytes[line].prefix(40), as: UTF8.self))'")
        }
        return SIPParseError("invalid header name '\(String(decoding: bytes[line.lowerBound..<colon], as: UTF8.self))'")
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
        var first: String?
        for field in headers.fields where field.id == KnownHeaders.contentLength {
            guard let first else {
                first = field.value
                continue
            }
            if field.value != first { throw SIPParseError("conflicting Content-Length headers") }
        }
        guard let first else { return nil }
        var scanner = SIPScanner(first)
        guard let length = scanner.number(maxDigits: 10), scanner.atEnd else {
            throw SIPParseError("Content-Length '\(first)' is not a number")
        }
        return length
    }

    static func startLine(_ bytes: [UInt8], _ line: Range<Int>, headers: SIPHeaders, body: [UInt8]) throws(SIPParseError) -> SIPMessage {
        let text = { String(decoding: bytes[line], as: UTF8.self) }
        if line.count >= 4, bytes[line.lowerBound..<(line.lowerBound + 4)].elementsEqual("SIP/".utf8) {
            return .response(try statusLine(bytes, line, text: text, headers: headers, body: body))
        }
        // Method SP Request-URI SP SIP-Version, with exactly two single spaces.
        let firstSpace = bytes[line].firstIndex(of: 0x20)
        let secondSpace = firstSpace.flatMap { bytes[($0 + 1)..<line.upperBound].firstIndex(of: 0x20) }
        guard let firstSpace, let secondSpace, firstSpace > line.lowerBound, secondSpace > firstSpace + 1,
              secondSpace + 1 < line.upperBound, !bytes[(secondSpace + 1)..<line.upperBound].contains(0x20) else {
            if let last = bytes[line].last, SIPCharacterClass.isWhitespace(last) { throw SIPParseError("trailing whitespace in request line '\(text())'") }
            throw SIPParseError("request line must be 'Method SP Request-URI SP SIP/2.0' with single spaces: '\(text())'")
        }
        let method = line.lowerBound..<firstSpace
        guard bytes[method].allSatisfy(SIPCharacterClass.isToken) else { throw SIPParseError("invalid method in request line '\(text())'") }
        try checkVersion(bytes[(secondSpace + 1)..<line.upperBound])
        var scanner = SIPScanner(bytes: bytes, range: (firstSpace + 1)..<secondSpace)
        let uri: SIPURI
        do throws(SIPParseError) {
            uri = try scanner.uri()
            if !scanner.atEnd {
                throw SIPParseError("unexpected \(scanner.describePosition()) in URI '\(scanner.string((firstSpace + 1)..<secondSpace))'")
            }
        } catch {
            throw SIPParseError("invalid Request-URI: \(error.reason)")
        }
        return .request(SIPRequest(method: SIPMethod(String(decoding: bytes[method], as: UTF8.self)), uri: uri, headers: headers, body: body))
    }

    private static func statusLine(_ bytes: [UInt8], _ line: Range<Int>, text: () -> String, headers: SIPHeaders,
                                   body: [UInt8]) throws(SIPParseError) -> SIPResponse {
        guard let firstSpace = bytes[line].firstIndex(of: 0x20) else { throw SIPParseError("status line has no status code: '\(text())'") }
        try checkVersion(bytes[line.lowerBound..<firstSpace])
        var scanner = SIPScanner(bytes: bytes, range: (firstSpace + 1)..<line.upperBound)
        let codeStart = scanner.index
        let code = scanner.number(maxDigits: 3)
        // The code runs to the first space or the end of the line.
        guard let code, scanner.index - codeStart == 3, scanner.atEnd || scanner.peek == 0x20, (100...699).contains(code) else {
            throw SIPParseError("status code must be three digits from 100 to 699: '\(text())'")
        }
        let reasonStart = Swift.min(scanner.index + 1, line.upperBound)
        return SIPResponse(statusCode: code, reason: scanner.string(reasonStart..<line.upperBound), headers: headers, body: body)
    }

    private static func checkVersion(_ version: ArraySlice<UInt8>) throws(SIPParseError) {
        let expected = "sip/2.0".utf8
        guard !version.elementsEqual(expected, by: { SIPCharacterClass.lowercased($0) == $1 }) else { return }
        let text = String(decoding: version, as: UTF8.self)
        if version.count >= 4, version.prefix(4).elementsEqual("sip/".utf8, by: { SIPCharacterClass.lowercased($0) == $1 }) {
            throw SIPParseError("unsupported SIP version '\(text)'")
        }
        throw SIPParseError("expected SIP/2.0, found '\(text)'")
    }
}
