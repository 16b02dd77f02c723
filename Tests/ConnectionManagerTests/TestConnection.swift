@testable import ConnectionManager
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
import WSECore

/// A connection manager whose connections run on test event loops: time moves only when a test
/// advances it, and the wall clock stands still, so timers are checked to the millisecond without waiting.
struct TestNode {
    static let wallClock = Date(timeIntervalSince1970: 1_800_000_000)

    let manager: ConnectionManager
    let requests = FakeRequests()

    init(_ change: (inout ConnectionManagerConfiguration) -> Void = { _ in }) {
        var configuration = TestServer.configuration(change)
        configuration.wallClock = { Self.wallClock }
        var logger = Logger(label: "wse.test")
        logger.logLevel = .warning
        manager = ConnectionManager(configuration: configuration, tokens: FakeTokens(wallClock: { Self.wallClock }), logger: logger)
        requests.answer(through: manager)
        manager.connect(to: requests)
    }

    /// A `/wse` connection (already upgraded) from the test retailer's page, on a test event loop of its own.
    func connect(origin: OriginPolicy.Decision = .allowed(retailer: "shop")) async throws -> TestConnection {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).get()
        let manager = self.manager
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(SessionChannelHandler(manager: manager, origin: origin, now: channel.eventLoop.now))
        }
        return TestConnection(channel: channel)
    }

    /// A connection that said hello as `user`; returns it with its session id.
    func session(_ user: String, token: String? = nil) async throws -> (TestConnection, SessionID) {
        let connection = try await connect()
        let welcome = try await connection.hello(token: token ?? "user:\(user)")
        return (connection, SessionID(try #require(welcome["session"]?.stringValue)))
    }
}

/// The client's side of one connection on a test event loop: frames in, frames out, and the loop's clock.
struct TestConnection {
    let channel: NIOAsyncTestingChannel

    var loop: NIOAsyncTestingEventLoop { channel.testingEventLoop }

    func send(_ text: String) async throws {
        try await channel.writeInbound(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
    }

    func send(_ json: JSONValue) async throws { try await send(json.jsonText) }

    func send(_ opcode: WebSocketOpcode, _ data: ByteBuffer = ByteBuffer()) async throws {
        try await channel.writeInbound(WebSocketFrame(fin: true, opcode: opcode, data: data))
    }

    /// The next frame the server writes, waiting for it (written from a task: a token check, a request).
    func next() async throws -> WebSocketFrame {
        try await channel.waitForOutboundWrite(as: WebSocketFrame.self)
    }

    /// A frame already written, if any (after the loop ran what was due).
    func written() async throws -> WebSocketFrame? {
        try await channel.readOutbound(as: WebSocketFrame.self)
    }

    func nextMessage() async throws -> JSONValue {
        let frame = try await next()
        guard frame.opcode == .text else { throw TestClientError(description: "expected a message, got \(frame.opcode)") }
        return try JSONValue.parse(String(buffer: frame.unmaskedData))
    }

    /// A message already written (after the loop ran what was due); throws when there is none.
    func writtenMessage() async throws -> JSONValue {
        guard let frame = try await written(), frame.opcode == .text else { throw TestClientError(description: "expected a message written") }
        return try JSONValue.parse(String(buffer: frame.unmaskedData))
    }


    /// Moves this connection's clock forward, running every timer due on the way.
    func advance(by amount: TimeAmount) async {
        await loop.advanceTime(by: amount)
    }

    /// Whether nothing was written yet (the loop has run everything due).
    func isQuiet() async throws -> Bool { try await written() == nil }

    /// The code of a close frame, nil for any other frame.
    static func closeCode(of frame: WebSocketFrame?) -> UInt16? {
        guard let frame, frame.opcode == .connectionClose else { return nil }
        return frame.unmaskedData.getInteger(at: frame.unmaskedData.readerIndex, as: UInt16.self)
    }

    var isOpen: Bool { channel.isActive }
}
