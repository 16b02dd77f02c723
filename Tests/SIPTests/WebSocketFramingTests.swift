import Testing
@testable import SIP

@Suite("SIP over WebSocket framing (RFC 7118)")
struct WebSocketFramingTests {
    static let register = Array("""
        REGISTER sip:127.0.0.1 SIP/2.0\r
        Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKasudf\r
        From: <sip:alice@127.0.0.1>;tag=65bnmj\r
        To: <sip:alice@127.0.0.1>\r
        Call-ID: aiuy7k9njasd\r
        CSeq: 1 REGISTER\r
        Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\r
        \r

        """.utf8)

    @Test func messageWithoutContentLengthIsOneMessage() throws {
        let message = try SIPWebSocketFraming.decode(Self.register)
        #expect(try message.headers.topVia().transport == "WS")
        let (payload, isText) = SIPWebSocketFraming.encode(message)
        #expect(isText)
        let again = try SIPWebSocketFraming.decode(payload)
        #expect(try again.headers.callID() == "aiuy7k9njasd")
        #expect(again.headers[SIPHeaderName.contentLength] == "0")
    }

    @Test func twoMessagesInOneWebSocketMessageAreRefused() throws {
        let one = SIPWebSocketFraming.encode(try SIPWebSocketFraming.decode(Self.register)).payload
        #expect(throws: SIPParseError("a WebSocket message must carry exactly one SIP message (RFC 7118 §5.2)")) {
            try SIPWebSocketFraming.decode(one + one)
        }
    }

    @Test func binaryBodyGoesInABinaryFrame() throws {
        var request = SIPRequest(method: .message, uri: SIPURI(user: "bob", host: "127.0.0.1"), body: [0xFF, 0xFE, 0x00])
        request.headers = ["Via": "SIP/2.0/WS x.invalid;branch=z9hG4bK1", "From": "<sip:a@b>;tag=1", "To": "<sip:bob@127.0.0.1>",
                           "Call-ID": "c", "CSeq": "1 MESSAGE", "Content-Type": "application/octet-stream"]
        #expect(!SIPWebSocketFraming.encode(.request(request)).isText)
    }
}
