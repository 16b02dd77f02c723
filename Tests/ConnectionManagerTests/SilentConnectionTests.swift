@testable import ConnectionManager
import NIOCore
import NIOEmbedded
import Logging
import NIOPosix
import Testing

/// A client that connects and never completes a request head must not hold the node: a graceful shutdown
/// closes its connection at once (before, the node waited for as long as the client stayed), and one whose
/// head is not complete within `requestHeadTimeout` (30 s) is closed, however it trickles in (`FirstRequestHandler`).
@Suite(.timeLimit(.minutes(1))) struct SilentConnectionTests {
    @Test func aGracefulShutdownClosesAConnectionThatSentNothing() async throws {
        try await TestServer.run { server in
            let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: server.port).get()
            await server.group.triggerGracefulShutdown()
            // Returns when the node closes the connection; the suite's time limit fails the test otherwise.
            try await silent.closeFuture.get()
        }
    }

    /// A connection through the node's whole HTTP pipeline (`WSEServerChannel`), on a test event loop.
    private func served(_ change: (inout ConnectionManagerConfiguration) -> Void = { _ in }) async throws -> NIOAsyncTestingChannel {
        let node = TestNode(change)
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "192.0.2.7", port: 40000)).get()
        let server = WSEServerChannel(responder: { _, _, _ in }, manager: node.manager, http1: .init())
        _ = try await channel.testingEventLoop.executeInContext {
            server.setup(channel: channel, logger: Logger(label: "wse.test"))
        }.get()
        return channel
    }

    @Test func aConnectionSilentForThirtySecondsIsClosed() async throws {
        let channel = try await served()
        await channel.testingEventLoop.advanceTime(by: .seconds(30) - .milliseconds(1))
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    /// Slowloris: `G`, then a byte every 10 s. The head is not complete at the timeout: closed.
    @Test func aRequestHeadTrickledInIsClosedAtTheTimeout() async throws {
        let channel = try await served { $0.requestHeadTimeout = .seconds(20) }
        for byte in "GET /healthz".utf8.prefix(2) {
            try await channel.writeInbound(ByteBuffer(bytes: [byte]))
            await channel.testingEventLoop.advanceTime(by: .seconds(10) - .milliseconds(1))
            #expect(channel.isActive)
            await channel.testingEventLoop.advanceTime(by: .milliseconds(1))
        }
        #expect(!channel.isActive)
    }

    /// A first request whose head is complete and whose body trickles in (a byte every 10 s) is closed at the body
    /// timeout: the guard that takes over from `FirstRequestHandler` sees the head the upgrade handler replays.
    @Test func aFirstRequestsBodyTrickledInIsClosedAtTheBodyTimeout() async throws {
        let channel = try await served { $0.requestBodyTimeout = .seconds(40) }
        try await channel.writeInbound(ByteBuffer(string: NIOAsyncTestingChannel.trickledRequestHead))
        try await channel.trickleBody(3, every: .seconds(10))
        await channel.expectClosed(in: .seconds(10))
    }

    @Test func aCompleteHeadEndsTheGuardAndTheUpgradedSessionLivesOn() async throws {
        let channel = try await served { $0.helloTimeout = .seconds(3600) }
        try await channel.writeInbound(ByteBuffer(string: """
            GET /wse HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n
            """))
        guard case .byteBuffer(let response) = try await channel.waitForOutboundWrite(as: IOData.self) else {
            Issue.record("expected the upgrade's response")
            return
        }
        #expect(String(buffer: response).hasPrefix("HTTP/1.1 101"))
        await channel.testingEventLoop.advanceTime(by: .seconds(120))
        #expect(channel.isActive)
        #expect(try await channel.testingEventLoop.executeInContext {
            (try? channel.pipeline.syncOperations.context(handlerType: FirstRequestHandler.self)) == nil
        })
    }

    @Test func aGracefulShutdownClosesAConnectionWhoseHeadIsIncompleteAtOnce() async throws {
        let channel = try await served()
        try await channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        #expect(!channel.isActive)
    }
}
