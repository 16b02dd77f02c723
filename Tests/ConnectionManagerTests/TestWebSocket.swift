import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization
import WSECore

/// What a test client saw on its connection.
enum Received: Equatable, CustomStringConvertible {
    case text(String)
    case binary
    case ping
    case pong
    case close(code: UInt16?, reason: String)
    /// The TCP connection is gone.
    case disconnected

    var description: String {
        switch self {
        case .text(let text): "text \(text)"
        case .binary: "binary"
        case .ping: "ping"
        case .pong: "pong"
        case .close(let code, let reason): "close \(code.map(String.init) ?? "-") \(reason)"
        case .disconnected: "disconnected"
        }
    }
}

struct TestClientError: Error, CustomStringConvertible {
    let description: String
}

/// A minimal WebSocket client on real loopback TCP (NIO's client upgrader), with the knobs the tests
/// need: any Origin, raw frames, pings left unanswered, and reading switched off (a slow consumer).
final class TestWebSocket: Sendable {
    let channel: any Channel
    private let inbox: Inbox

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Opens a WebSocket; `origin: nil` sends no Origin header.
    static func connect(
        port: Int, path: String = "/wse", origin: String? = "https://shop.test", answerPings: Bool = true
    ) async throws -> TestWebSocket {
        let inbox = Inbox()
        let upgraded = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: 1 << 24) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                ClientFrameHandler(inbox: inbox, answerPings: answerPings))
                            return true
                        }
                    }
                    var headers = HTTPHeaders([("Host", "127.0.0.1:\(port)")])
                    if let origin { headers.add(name: "Origin", value: origin) }
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
                    var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: .init(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { $0.eventLoop.makeSucceededFuture(false) }))
                    // Frames the server sends right after its 101 (a close 4403) arrive in the same read.
                    configuration.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
                        .map { ($0, channel) }
                }
            }
        let (didUpgrade, channel) = try await upgraded.get()
        guard didUpgrade else {
            try? await channel.close()
            throw TestClientError(description: "server refused the upgrade to \(path)")
        }
        return TestWebSocket(channel: channel, inbox: inbox)
    }

    func send(_ text: String) async throws {
        try await send(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
    }

    func send(_ json: JSONValue) async throws {
        try await send(json.jsonText)
    }

    func send(_ frame: WebSocketFrame) async throws {
        var frame = frame
        frame.maskKey = .random()
        try await channel.writeAndFlush(frame)
    }

    /// The next thing that arrives (pings are answered and skipped unless `includingPings`).
    func next(within timeout: Duration = .seconds(5), includingPings: Bool = false) async throws -> Received {
        while true {
            guard let received = await inbox.take(within: timeout, on: channel.eventLoop) else {
                throw TestClientError(description: "nothing arrived within \(timeout)")
            }
            if received == .ping && !includingPings { continue }
            return received
        }
    }

    /// The next text message as JSON; fails on anything else.
    func nextMessage(within timeout: Duration) async throws -> JSONValue {
        let received = try await next(within: timeout)
        guard case .text(let text) = received else { throw TestClientError(description: "expected a message, got \(received)") }
        return try JSONValue.parse(text)
    }

    /// Skips messages until the close frame; returns its code.
    func closeCode(within timeout: Duration = .seconds(5)) async throws -> UInt16? {
        while true {
            switch try await next(within: timeout) {
            case .close(let code, _): return code
            case .disconnected: throw TestClientError(description: "disconnected without a close frame")
            default: continue
            }
        }
    }

    /// Drops the TCP connection without a close handshake (a network cut).
    func cut() async throws {
        try await channel.close()
    }

    func setReading(_ on: Bool) async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: on).get()
    }
}

/// Frames from the client's event loop to the test, with a bounded wait.
final class Inbox: Sendable {
    private struct State {
        var items: [Received] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Received?, Never>)?
        var nextWaiterID = 0
    }

    private let state = Mutex(State())

    func put(_ item: Received) {
        let waiter = state.withLock { state -> CheckedContinuation<Received?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.items.append(item)
            return nil
        }
        waiter?.resume(returning: item)
    }

    func take(within timeout: Duration, on eventLoop: any EventLoop) async -> Received? {
        await withCheckedContinuation { continuation in
            let waiterID: Int? = state.withLock { state in
                if !state.items.isEmpty {
                    continuation.resume(returning: state.items.removeFirst())
                    return nil
                }
                state.nextWaiterID += 1
                state.waiter = (state.nextWaiterID, continuation)
                return state.nextWaiterID
            }
            guard let waiterID else { return }
            eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
                                                    + timeout.components.attoseconds / 1_000_000_000)) {
                let expired = self.state.withLock { state -> CheckedContinuation<Received?, Never>? in
                    guard state.waiter?.id == waiterID else { return nil }
                    defer { state.waiter = nil }
                    return state.waiter?.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}

private final class ClientFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let inbox: Inbox
    let answerPings: Bool

    init(inbox: Inbox, answerPings: Bool) {
        self.inbox = inbox
        self.answerPings = answerPings
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            inbox.put(.text(String(buffer: frame.unmaskedData)))
        case .binary:
            inbox.put(.binary)
        case .ping:
            if answerPings {
                let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            }
            inbox.put(.ping)
        case .pong:
            inbox.put(.pong)
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self)
            inbox.put(.close(code: code, reason: payload.readString(length: payload.readableBytes) ?? ""))
            var echo = context.channel.allocator.buffer(capacity: 2)
            if let code { echo.writeInteger(code) }
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)))
                .whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.put(.disconnected)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
