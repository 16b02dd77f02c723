extension SIPMessage {
    /// The wire form: start line, headers in order with Content-Length set to the body size (added last when absent), body.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + body.count)
        switch self {
        case .request(let r): out.append(contentsOf: "\(r.method) \(r.uri) SIP/2.0\r\n".utf8)
        case .response(let r): out.append(contentsOf: "SIP/2.0 \(r.statusCode) \(r.reason)\r\n".utf8)
        }
        var wroteLength = false
        for field in headers {
            if field.id == KnownHeaders.contentLength {
                // Written where it stood (keeps the order), with the real body size, once.
                if !wroteLength { out.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8) }
                wroteLength = true
                continue
            }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !wroteLength { out.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8) }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }
}
