extension SIPMessage {
    /// A readable outline of the parsed structure (what `wse sip check` prints).
    public var structureDescription: String {
        var lines: [String] = []
        switch self {
        case .request(let r):
            lines.append("request \(r.method)")
            lines.append("  request-uri: \(r.uri) (scheme \(r.uri.scheme.name), user \(r.uri.user ?? "-"), host \(r.uri.host.isEmpty ? "-" : r.uri.host))")
        case .response(let r):
            lines.append("response \(r.statusCode) \(r.reason)")
        }
        let headers = self.headers
        if let from = try? headers.from() { lines.append("  from: \(from.uri) tag=\(from.tag ?? "-")") }
        if let to = try? headers.to() { lines.append("  to: \(to.uri) tag=\(to.tag ?? "-")") }
        if let callID = try? headers.callID() { lines.append("  call-id: \(callID)") }
        if let cseq = try? headers.cseq() { lines.append("  cseq: \(cseq)") }
        for via in (try? headers.via()) ?? [] {
            lines.append("  via: \(via.transport) \(via.sentBy) branch=\(via.branch ?? "-")")
        }
        for contact in (try? headers.contacts()) ?? [] { lines.append("  contact: \(contact.uri)") }
        lines.append("  headers (\(headers.fields.count)):")
        for field in headers { lines.append("    \(field.name): \(field.value)") }
        lines.append("  body: \(body.count) bytes")
        return lines.joined(separator: "\n")
    }
}
