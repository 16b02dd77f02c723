import Testing
import WSECore

@Suite struct ClientMessageTests {
    @Test func decodesEveryClientMessage() throws {
        #expect(try ClientMessage.decode(Array(#"{"type":"hello","token":"t"}"#.utf8)) == .hello(token: "t", resume: nil))
        #expect(
            try ClientMessage.decode(Array(#"{"type":"hello","token":"t","resume":{"session":"s","lastSeq":7}}"#.utf8))
                == .hello(token: "t", resume: .init(session: "s", lastSeq: 7)))
        #expect(
            try ClientMessage.decode(Array(#"{"type":"request","id":"1","service":"contacts","action":"list"}"#.utf8))
                == .request(.init(id: "1", service: "contacts", action: "list", data: [:])))
        #expect(try ClientMessage.decode(Array(#"{"type":"cancel","pid":"p1"}"#.utf8)) == .cancel(pid: "p1"))
        #expect(try ClientMessage.decode(Array(#"{"type":"ack","seq":3}"#.utf8)) == .ack(seq: 3))
    }

    @Test(arguments: [
        (#"{"type":"#, "malformed JSON"),
        (#"[1,2]"#, "must be a JSON object"),
        (#"{"id":"1"}"#, "missing field \"type\""),
        (#"{"type":"launch"}"#, "unknown message type"),
        (#"{"type":"request","service":"x","action":"y"}"#, "non-empty \"id\""),
        (#"{"type":"ack","seq":-1}"#, "non-negative"),
        (#"{"type":"hello"}"#, "token"),
    ])
    func refusesBadMessagesWithAReason(text: String, reason: String) {
        #expect {
            try ClientMessage.decode(Array(text.utf8))
        } throws: { error in
            (error as? ClientMessageError)?.message.contains(reason) == true
        }
    }

    @Test func requestErrorsKeepTheClientID() {
        #expect {
            try ClientMessage.decode(Array(#"{"type":"request","id":"42","action":"y"}"#.utf8))
        } throws: { ($0 as? ClientMessageError)?.requestID == "42" }
    }
}

@Suite struct ServerMessageTests {
    @Test func encodesEventsWithStableKeyOrder() throws {
        let event = ServerMessage.event(seq: 5, service: "location", pid: "p", data: ["b": 1, "a": "x\n"])
        #expect(event.jsonText == #"{"type":"event","seq":5,"service":"location","pid":"p","data":{"a":"x\n","b":1}}"#)
        let parsed = try JSONValue.parse(event.jsonText)
        #expect(parsed["data"]?["b"]?.intValue == 1)
    }

    @Test func encodesErrorsWithoutAnID() {
        #expect(ServerMessage.error(id: nil, code: .badRequest, message: "no").jsonText
            == #"{"type":"error","code":"bad_request","message":"no"}"#)
    }

    @Test func numbersKeepFractionsOnlyWhenTheyHaveOne() {
        #expect(JSONValue.number(3).jsonText == "3")
        #expect(JSONValue.number(2.5).jsonText == "2.5")
        #expect(JSONValue.string("\u{1}").jsonText == #""\u0001""#)
    }
}

@Suite struct JSONParserTests {
    @Test func readsEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"a":[1,-2.5e2,0.5,true,false,null],"s":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","e":{},"l":[]} "#)
        #expect(value["a"] == [1, -250, 0.5, true, false, nil])
        #expect(value["s"] == .string("x\"\\/\u{8}\u{c}\n\r\té😀"))
        #expect(value["e"] == [:] && value["l"] == [])
        #expect(try JSONValue.parse("\"ünïcödé\"") == "ünïcödé")
        #expect(try JSONValue.parse("7") == 7)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "1e", "tru", "nul", "\"abc", "\"\u{1}\"",
        "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "[1] 2", "{'a':1}", "NaN", "1e400", "-1e400",
    ])
    func refusesWhatRFC8259Refuses(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func refusesInvalidUTF8AndHostileNesting() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect { try JSONValue.parse(deep) } throws: { "\($0)".contains("nested deeper") }
    }
}
