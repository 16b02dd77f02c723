@testable import ConnectionManager
import NIOCore
import NIOWebSocket
import Testing
import WSECore

/// The session protocol over real WebSocket connections on loopback: hello, requests, bad input.
@Suite struct SessionProtocolTests {
    @Test func helloGetsWelcomeAndRequestsReachTheHandlerWithTheRetailer() async throws {
        try await TestServer.run { server in
            let socket = try await server.connect()
            let welcome = try await socket.hello(token: "user:alice")
            #expect(welcome["resumed"] == false)
            #expect(welcome["heartbeat"] == 30)
            #expect(welcome["session"]?.stringValue?.isEmpty == false)

            try await socket.send(["type": "request", "id": "r1", "service": "echo", "action": "say", "data": ["x": 1]])
            let response = try await socket.nextMessage()
            #expect(response == ["type": "response", "id": "r1", "pid": "p-r1", "data": ["echo": ["x": 1], "retailer": "shop"]])
        }
    }

    @Test(arguments: [
        ("{", "malformed JSON", nil),
        (#"{"id":"1"}"#, "missing field \"type\"", "1"),
        (#"{"type":"launch"}"#, "unknown message type", nil),
        (#"{"type":"request","service":"echo","action":"a"}"#, "non-empty \"id\"", nil),
        (#"{"type":"request","id":"7","action":"a"}"#, "\"service\"", "7"),
        (#"{"type":"ack"}"#, "seq", nil),
        (#"{"type":"hello","token":"user:alice"}"#, "already said hello", nil),
    ] as [(String, String, String?)])
    func badMessagesGetBadRequestAndTheSessionStaysOpen(text: String, reason: String, id: String?) async throws {
        try await TestServer.run { server in
            let (socket, _) = try await server.session("alice")
            try await socket.send(text)
            let error = try await socket.nextMessage()
            #expect(error["type"] == "error")
            #expect(error["code"] == "bad_request")
            #expect(error["id"]?.stringValue == id)
            #expect(error["message"]?.stringValue?.contains(reason) == true, "\(error.jsonText)")

            try await socket.send(["type": "request", "id": "after", "service": "echo", "action": "a"])
            #expect(try await socket.nextMessage()["id"] == "after")
        }
    }

    @Test func binaryFramesAreRefusedAndTheSessionStaysOpen() async throws {
        try await TestServer.run { server in
            let (socket, _) = try await server.session("alice")
            try await socket.send(WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: [1, 2, 3])))
            let error = try await socket.nextMessage()
            #expect(error["code"] == "bad_request")
            try await socket.send(["type": "request", "id": "after", "service": "echo", "action": "a"])
            #expect(try await socket.nextMessage()["id"] == "after")
        }
    }

    @Test func aFirstMessageThatIsNotHelloCloses4400() async throws {
        try await TestServer.run { server in
            let socket = try await server.connect()
            try await socket.send(["type": "request", "id": "1", "service": "echo", "action": "a"])
            #expect(try await socket.closeCode() == 4400)
        }
    }

    @Test(arguments: [
        #"{"type":"hello","token":"badsig"}"#,
        #"{"type":"hello","token":"expired"}"#,
        #"{"type":"hello","token":"wrongaud"}"#,
        #"{"type":"hello","token":"nonsense"}"#,
        #"{"type":"hello"}"#,
        #"{"type":"hello","token":""}"#,
    ])
    func badTokensClose4401(hello: String) async throws {
        try await TestServer.run { server in
            let socket = try await server.connect()
            try await socket.send(hello)
            #expect(try await socket.closeCode() == 4401)
            #expect(server.manager.sessionCount == 0)
        }
    }

    @Test func unknownOriginCloses4403() async throws {
        try await TestServer.run { server in
            let socket = try await server.connect(origin: "https://evil.test")
            #expect(try await socket.closeCode() == 4403)
        }
    }

    /// Browsers always send `Origin`: a client without one is not a browser, so not a cross-site page
    /// (PROTOCOL.md, the demo contract). Admitted by default, without a retailer; the setting refuses it.
    @Test func missingOriginIsAdmittedByDefaultAndRefused4403WhenConfigured() async throws {
        #expect(ConnectionManagerConfiguration().allowMissingOrigin)
        try await TestServer.run { server in
            let socket = try await server.connect(origin: nil)
            _ = try await socket.hello(token: "user:alice")
            try await socket.send(["type": "request", "id": "r", "service": "echo", "action": "a"])
            #expect(try await socket.nextMessage()["data"]?["retailer"] == .null)
        }
        try await TestServer.run(TestServer.configuration { $0.allowMissingOrigin = false }) { server in
            let socket = try await server.connect(origin: nil)
            #expect(try await socket.closeCode() == 4403)
        }
    }

    @Test func oversizedFrameCloses1009() async throws {
        try await TestServer.run(TestServer.configuration { $0.maxFrameSize = 1024 }) { server in
            let (socket, _) = try await server.session("alice")
            try await socket.send(String(repeating: "x", count: 2000))
            #expect(try await socket.closeCode() == 1009)
        }
    }

    @Test func oversizedFragmentedMessageCloses1009() async throws {
        try await TestServer.run(TestServer.configuration { $0.maxMessageSize = 1500 }) { server in
            let (socket, _) = try await server.session("alice")
            let part = ByteBuffer(string: String(repeating: "x", count: 1000))
            try await socket.send(WebSocketFrame(fin: false, opcode: .text, data: part))
            try await socket.send(WebSocketFrame(fin: true, opcode: .continuation, data: part))
            #expect(try await socket.closeCode() == 1009)
        }
    }

    @Test func reservedBitsWithoutAnExtensionClose1002() async throws {
        try await TestServer.run { server in
            let (socket, _) = try await server.session("alice")
            try await socket.send(WebSocketFrame(fin: true, rsv1: true, opcode: .text, data: ByteBuffer(string: "{}")))
            #expect(try await socket.closeCode() == 1002)
        }
    }

    @Test func fragmentedMessagesAreReassembled() async throws {
        try await TestServer.run { server in
            let (socket, _) = try await server.session("alice")
            let text = #"{"type":"request","id":"frag","service":"echo","action":"a"}"#
            let middle = text.index(text.startIndex, offsetBy: 20)
            try await socket.send(WebSocketFrame(fin: false, opcode: .text, data: ByteBuffer(string: String(text[..<middle]))))
            try await socket.send(WebSocketFrame(fin: true, opcode: .continuation, data: ByteBuffer(string: String(text[middle...]))))
            #expect(try await socket.nextMessage()["id"] == "frag")
        }
    }

    @Test func rateLimitRefusesThenClosesOnAbuse() async throws {
        let configuration = TestServer.configuration {
            $0.messagesPerSecond = 0.001
            $0.messageBurst = 2
            $0.rateLimitStrikes = 3
        }
        try await TestServer.run(configuration) { server in
            let (socket, _) = try await server.session("alice")
            for _ in 0..<2 { try await socket.send(#"{"type":"ack","seq":0}"#) }
            try await socket.send(#"{"type":"ack","seq":0}"#)
            let refused = try await socket.nextMessage()
            #expect(refused["code"] == "rate_limited")
            try await socket.send(#"{"type":"ack","seq":0}"#)
            #expect(try await socket.nextMessage()["code"] == "rate_limited")
            try await socket.send(#"{"type":"ack","seq":0}"#)
            #expect(try await socket.closeCode() == 1008)
            // Other sessions are not limited by it.
            let (other, _) = try await server.session("bob")
            try await other.send(["type": "request", "id": "b", "service": "echo", "action": "a"])
            #expect(try await other.nextMessage()["id"] == "b")
        }
    }

    @Test func cancelOfAnUnknownProcessAnswersUnknownProcess() async throws {
        try await TestServer.run { server in
            let (socket, _) = try await server.session("alice")
            try await socket.send(["type": "cancel", "pid": "p-nope"])
            let error = try await socket.nextMessage()
            #expect(error["code"] == "unknown_process")
            try await socket.send(["type": "cancel", "pid": "p-known"])
            try await socket.send(["type": "request", "id": "next", "service": "echo", "action": "a"])
            #expect(try await socket.nextMessage()["id"] == "next")
        }
    }

    @Test func otherPathsAreServedByTheRouterAndEchoIsOffByDefault() async throws {
        try await TestServer.run { server in
            let response = try await HTTPProbe.get("/healthz", port: server.port)
            #expect(response.hasPrefix("HTTP/1.1 200"))
            #expect(response.hasSuffix("ok"))
            // Not upgraded: the router answers 404 and the client's upgrade fails.
            await #expect(throws: (any Error).self) { try await server.connect(path: "/wse/echo") }
            #expect(try await HTTPProbe.get("/wse/echo", port: server.port).hasPrefix("HTTP/1.1 404"))
        }
    }

    @Test func echoEndpointEchoesWhenEnabled() async throws {
        try await TestServer.run(TestServer.configuration { $0.echoEndpoint = true }) { server in
            let socket = try await server.connect(path: "/wse/echo")
            try await socket.send("hello there")
            #expect(try await socket.next() == .text("hello there"))
        }
    }
}
