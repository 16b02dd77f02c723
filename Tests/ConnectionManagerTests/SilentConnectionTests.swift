@testable import ConnectionManager
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

/// A client that connects and never sends a request must not hold the node: a graceful shutdown
/// closes its connection at once (before, the node waited for as long as the client stayed), and one
/// silent for 30 s is closed (`FirstRequestHandler`).
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

    private func guarded() async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).get()
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(FirstRequestHandler(timeout: .seconds(WSEServerChannel.firstRequestTimeout)))
        }
        return channel
    }

    @Test func aConnectionSilentForThirtySecondsIsClosed() async throws {
        let channel = try await guarded()
        await channel.testingEventLoop.advanceTime(by: .seconds(30) - .milliseconds(1))
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func theFirstBytesPassAndEndTheGuard() async throws {
        let channel = try await guarded()
        try await channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        #expect(try await channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        await channel.testingEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        #expect(channel.isActive, "a connection that made its request is left to HTTP's own shutdown")
    }

    @Test func aGracefulShutdownClosesTheGuardedConnectionAtOnce() async throws {
        let channel = try await guarded()
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        #expect(!channel.isActive)
    }
}
