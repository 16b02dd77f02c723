/// Finds message boundaries in a SIP byte stream (RFC 3261 §18.3): headers up to the blank
/// line, then exactly Content-Length body bytes. Pure: bytes in, a length out.
public struct SIPStreamFramer: Sendable {
    public var limits: SIPMessageParser.Limits

    public init(limits: SIPMessageParser.Limits = SIPMessageParser.Limits()) { self.limits = limits }

    /// The length of the first complete message at the start of `bytes` (which must not start
    /// with CRLF keep-alives), or nil when more bytes are needed. Throws when the stream cannot
    /// be framed: headers too long, Content-Length missing, invalid or over the body limit.
    public func messageLength<Bytes: RandomAccessCollection>(in bytes: Bytes) throws(SIPParseError) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        guard let bodyStart = Self.headerEnd(bytes) else {
            if bytes.count > limits.maxHeaderBytes { throw SIPParseError("header section exceeds \(limits.maxHeaderBytes) bytes") }
            return nil
        }
        if bodyStart > limits.maxHeaderBytes { throw SIPParseError("header section exceeds \(limits.maxHeaderBytes) bytes") }
        guard let length = try Self.contentLength(bytes, headerEnd: bodyStart) else {
            throw SIPParseError("Content-Length is required on stream transports")
        }
        if length > limits.maxBodyBytes { throw SIPParseError("body of \(length) bytes exceeds the limit of \(limits.maxBodyBytes)") }
        let total = bodyStart - bytes.startIndex + length
        return bytes.count >= total ? total : nil
    }

    /// Index just after the CRLFCRLF (or LFLF) that ends the headers.
    static func headerEnd<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8, Bytes.Index == Int {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A { return index + 2 }
                if index + 2 < bytes.endIndex, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    /// Reads Content-Length (or its compact `l`) from the header block; conflicting values throw.
    static func contentLength<Bytes: RandomAccessCollection>(_ bytes: Bytes, headerEnd: Int) throws(SIPParseError) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var found: Int?
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index < headerEnd {
            if bytes[index] == 0x0A {
                if let value = try lengthValue(bytes[lineStart..<index]) {
                    if let previous = found, previous != value { throw SIPParseError("conflicting Content-Length headers") }
                    found = value
                }
                lineStart = index + 1
            }
            index += 1
        }
        return found
    }

    /// The Content-Length value if `line` is that header, else nil.
    private static func lengthValue(_ line: some Collection<UInt8>) throws(SIPParseError) -> Int? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let name = String(decoding: line[..<colon], as: UTF8.self).trimmingSIPWhitespace().lowercased()
        guard name == "content-length" || name == "l" else { return nil }
        var value = String(decoding: line[line.index(after: colon)...], as: UTF8.self)
        if value.hasSuffix("\r") { value.removeLast() }
        value = value.trimmingSIPWhitespace()
        guard !value.isEmpty, value.count <= 10, value.utf8.allSatisfy(SIPCharacterClass.isDigit), let length = Int(value) else {
            throw SIPParseError("Content-Length '\(value)' is not a number")
        }
        return length
    }
}
