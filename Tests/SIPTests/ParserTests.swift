import Testing
@testable import SIP

@Suite("Message parser and serializer")
struct ParserTests {
    let parser = SIPMessageParser()

    static let register = TortureVectors.wire("""
        REGISTER sip:example.com SIP/2.0
        v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc;rport
        f: "Alice \\"A\\"" <sip:alice@example.com>;tag=1
        t: <sip:alice@example.com>
        i: reg-1@example.com
        cSeQ: 2 REGISTER
        m: <sip:alice@127.0.0.1:5070>;expires=60, <sips:alice@[::1]:5061;transport=tls>;q=0.5
        Contact: <tel:+1-201-555-0123;phone-context=example.com>
        Expires: 60
        l: 0


        """)

    @Test func compactFormsAndCaseInsensitiveNames() throws {
        let message = try parser.parse(Self.register)
        #expect(message.headers[SIPHeaderName.callID] == "reg-1@example.com")
        #expect(message.headers["CALL-ID"] == "reg-1@example.com")
        #expect(message.headers["i"] == "reg-1@example.com")
        #expect(message.headers.fields.map(\.name).contains("CSeq"))
        #expect(try message.headers.from().displayName == #"Alice "A""#)
    }

    @Test func commaSeparatedAndRepeatedHeadersAreOneList() throws {
        let contacts = try parser.parse(Self.register).headers.contacts()
        #expect(contacts.count == 3)
        #expect(contacts[0].parameters["expires"] == "60")
        #expect(contacts[1].uri.scheme == .sips)
        #expect(contacts[1].uri.host == "[::1]")
        #expect(contacts[1].uri.port == 5061)
        #expect(contacts[1].uri.parameters["transport"] == "tls")
        #expect(contacts[1].parameters["q"] == "0.5")
        #expect(contacts[2].uri.scheme == .tel)
        #expect(contacts[2].uri.user == "+1-201-555-0123")
        #expect(contacts[2].uri.parameters["phone-context"] == "example.com")
    }

    @Test func serializedMessageParsesBackToTheSameMessage() throws {
        let message = try parser.parse(TortureVectors.wsinv)
        let again = try parser.parse(message.serialized())
        #expect(again == message)
    }

    @Test func serializerSetsContentLengthFromTheBody() throws {
        var request = SIPRequest(method: .message, uri: SIPURI(user: "bob", host: "example.com"))
        request.headers = ["Via": "SIP/2.0/TCP h;branch=z9hG4bK1", "From": "<sip:a@b>;tag=1", "To": "<sip:bob@example.com>",
                           "Call-ID": "x", "CSeq": "1 MESSAGE", "Content-Length": "999"]
        request.body = Array("héllo".utf8)
        let text = String(decoding: SIPMessage.request(request).serialized(), as: UTF8.self)
        #expect(text.contains("Content-Length: 6\r\n\r\nhéllo"))
        #expect(!text.contains("999"))
        let parsed = try parser.parse(Array(text.utf8), isStream: true)
        #expect(parsed.body == request.body)
        #expect(parsed.headers[SIPHeaderName.contentLength] == "6")
    }

    @Test func streamMessagesNeedContentLength() {
        let bytes = TortureVectors.wire("""
            OPTIONS sip:a@b SIP/2.0
            Via: SIP/2.0/TCP h;branch=z9hG4bK1
            From: <sip:a@b>;tag=1
            To: <sip:a@b>
            Call-ID: x
            CSeq: 1 OPTIONS


            """)
        #expect(throws: SIPParseError("Content-Length is required on stream transports")) {
            try parser.parse(bytes, isStream: true)
        }
        #expect((try? parser.parse(bytes)) != nil)
    }

    @Test func oversizedBodyIsRefused() {
        let small = SIPMessageParser(limits: .init(maxHeaderBytes: 4096, maxBodyBytes: 10))
        let bytes = TortureVectors.wire("""
            MESSAGE sip:a@b SIP/2.0
            Via: SIP/2.0/UDP h;branch=z9hG4bK1
            From: <sip:a@b>;tag=1
            To: <sip:a@b>
            Call-ID: x
            CSeq: 1 MESSAGE
            Content-Length: 11

            hello world
            """)
        #expect(throws: SIPParseError("body of 11 bytes exceeds the limit of 10")) { try small.parse(bytes) }
    }

    @Test(arguments: [
        ("", "empty message"),
        ("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n", "message ends before the blank line"),
        ("SIP/2.0 99 Too Low\r\n\r\n", "three digits"),
        ("INVITE sip:a@b SIP/2.0\r\nBad Header: x\r\n\r\n", "invalid header name"),
        ("INVITE sip:a@b SIP/2.0\r\nno colon here\r\n\r\n", "header line without ':'"),
        ("HELLO\r\n\r\n", "single spaces"),
    ])
    func malformedMessagesGiveAReason(text: String, reason: String) {
        do {
            _ = try parser.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test(arguments: ["sip:alice@example.com", "sips:alice:secret@example.com:5061;transport=tcp;lr",
                      "tel:+1-201-555-0123", "sip:[2001:db8::1]:5060", "mailto:alice@example.com",
                      "sip:biloxi.com;method=REGISTER?to=sip:bob%40biloxi.com"])
    func urisRoundTrip(text: String) throws {
        #expect(try SIPURI(parsing: text).description == text)
    }

    @Test(arguments: ["sip:", "sip:alice@", "sip:alice@host:99999", "sip:al ice@host", "<sip:a@b>", "sip:a%4@host", "tel:"])
    func badURIsAreRefused(text: String) {
        #expect(throws: SIPParseError.self) { try SIPURI(parsing: text) }
    }

    @Test func streamFramerCutsMessagesAtContentLength() throws {
        let one = Array("OPTIONS sip:a@b SIP/2.0\r\nl: 5\r\n\r\nhello".utf8)
        let framer = SIPStreamFramer()
        #expect(try framer.messageLength(in: one + Array("OPTIONS".utf8)) == one.count)
        #expect(try framer.messageLength(in: Array(one.dropLast())) == nil)
        #expect(throws: SIPParseError("conflicting Content-Length headers")) {
            try framer.messageLength(in: Array("A sip:a@b SIP/2.0\r\nl: 5\r\nContent-Length: 6\r\n\r\n".utf8))
        }
    }

    /// A minimal valid OPTIONS whose header section is `extra` bytes longer than the bare one.
    static func options(padding: Int) -> [UInt8] {
        TortureVectors.wire("""
            OPTIONS sip:a@b SIP/2.0
            Via: SIP/2.0/UDP h;branch=z9hG4bK1
            From: <sip:a@b>;tag=1
            To: <sip:a@b>
            Call-ID: x
            CSeq: 1 OPTIONS
            X-Pad: \(String(repeating: "p", count: padding))


            """)
    }

    @Test func headerSectionLimitCountsUpToTheLastHeaderLine() throws {
        let bytes = Self.options(padding: 10)
        // The section runs from the start line to the LF that ends the last header line.
        let sectionLength = bytes.count - 3
        #expect(throws: Never.self) { try SIPMessageParser(limits: .init(maxHeaderBytes: sectionLength)).parse(bytes) }
        #expect(throws: SIPParseError("header section exceeds \(sectionLength - 1) bytes")) {
            try SIPMessageParser(limits: .init(maxHeaderBytes: sectionLength - 1)).parse(bytes)
        }
        #expect(throws: SIPParseError("header section exceeds 100 bytes")) {
            try SIPMessageParser(limits: .init(maxHeaderBytes: 100)).parse(Self.options(padding: 5000))
        }
        #expect(throws: SIPParseError("header section exceeds 100 bytes")) {
            try SIPMessageParser(limits: .init(maxHeaderBytes: 100)).parse(Array(String(repeating: "a\r\n", count: 1000).utf8))
        }
    }

    @Test func foldedLinesJoinWithOneSpaceAndBareLineFeedsAreAccepted() throws {
        let text = "MESSAGE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1 \n\t ;x=y\n"
            + "To: <sip:a@b>\nCall-ID: x\nCSeq: 1 MESSAGE\nSubject: one  \r\n   two\r\n\tthree\n  \nX-Custom-Name: v\n\nbody"
        let message = try parser.parse(text)
        #expect(message.headers["Subject"] == "one two three")
        #expect(message.headers["s"] == "one two three")
        #expect(try message.headers.from().parameters["x"] == "y")
        #expect(message.headers["x-custom-name"] == "v")
        #expect(message.headers.fields.map(\.name).last == "X-Custom-Name")
        #expect(message.body == Array("body".utf8))
    }

    @Test(arguments: [
        ("SIP/2.0 200x OK\r\n\r\n", "three digits"),
        ("SIP/2.0 2000 OK\r\n\r\n", "three digits"),
        ("SIP/2.0 700 Too High\r\n\r\n", "three digits"),
        ("SIP/3.0 200 OK\r\n\r\n", "unsupported SIP version 'SIP/3.0'"),
        ("INVITE sip:a@b SIP/2.0 \r\n\r\n", "trailing whitespace"),
        ("INVITE  sip:a@b SIP/2.0\r\n\r\n", "single spaces"),
        ("INVITE sip:a@b SIP/2.0\r\n : x\r\n\r\n", "the start line cannot be continued"),
        ("OPTIONS sip:a@b SIP/2.0\r\nFrom: <sip:a@b>\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nVia : , SIP/2.0/UDP h\r\n\r\n",
         "expected protocol name in Via"),
        ("INVITE sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nab", "conflicting Content-Length"),
        ("OPTIONS sip:a@b SIP/2.0\r\nFrom: <sip:a@b>\r\n ;=folded\r\nTo: <sip:a@b>\r\n\r\n", "empty parameter"),
        ("OPTIONS sip:a@b SIP/2.0\r\nFrom: <sip:a@b>\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
            + "Via: SIP/2.0/UDP h\r\nContact: *, <sip:a@b;=x>\r\n\r\n", "empty URI parameter"),
        ("OPTIONS sip:a@b SIP/2.0\r\nFrom: <sip:a@b>\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
            + "Via: SIP/2.0/UDP h\r\nMax-Forwards: 256\r\n\r\n", "Max-Forwards '256' is not a number from 0 to 255"),
    ])
    func startLineAndFieldErrorsGiveAReason(text: String, reason: String) {
        do {
            _ = try parser.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test func lookupsIgnoreCaseAndCompactFormsForKnownAndUnknownNames() {
        var headers: SIPHeaders = ["v": "SIP/2.0/UDP h", "X-Thing": "1", "x-thing": "2", "Ünknown": "3"]
        #expect(headers.fields.map(\.name) == ["Via", "X-Thing", "x-thing", "Ünknown"])
        #expect(headers.lines("X-THING") == ["1", "2"])
        #expect(headers["VIA"] == "SIP/2.0/UDP h")
        #expect(headers["ünknown"] == "3")
        headers.set("x-Thing", "9")
        #expect(headers.lines("x-thing") == ["9"])
        headers.remove("V")
        #expect(headers["Via"] == nil)
        #expect(SIPHeaderName.canonical("CONTENT-length") == "Content-Length")
        #expect(SIPHeaderName.canonical("l") == "Content-Length")
        #expect(SIPHeaderName.canonical("Z") == "Z")
    }
}
