/// SIP over WebSocket framing (RFC 7118): each WebSocket message carries exactly one SIP
/// message, in a text frame when it is valid UTF-8 and a binary frame otherwise; the
/// subprotocol is `sip` and Via says `WS`/`WSS`. Content-Length is optional (§5.2). The
/// socket belongs to whoever serves WebSockets; these helpers only frame.
public enum SIPWebSocketFraming {
    /// The `Sec-WebSocket-Protocol` value.
    public static let subprotocol = "sip"

    /// Parses the payload of one WebSocket message; refuses a payload holding more than one message.
    public static func decode(_ payload: [UInt8], parser: SIPMessageParser = SIPMessageParser()) throws(SIPParseError) -> SIPMessage {
        let message = try parser.parse(payload)
        if message.headers[SIPHeaderName.contentLength] != nil, let bodyStart = SIPStreamFramer.headerEnd(payload),
           payload.count > bodyStart + message.body.count {
            throw SIPParseError("a WebSocket message must carry exactly one SIP message (RFC 7118 §5.2)")
        }
        return message
    }

    /// The payload and whether to send it as a text frame.
    public static func encode(_ message: SIPMessage) -> (payload: [UInt8], isText: Bool) {
        let payload = message.serialized()
        return (payload, String(validatingUTF8Bytes: payload) != nil)
    }
}

private extension String {
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: self = ""; return
            case .error: return nil
            }
        }
    }
}
