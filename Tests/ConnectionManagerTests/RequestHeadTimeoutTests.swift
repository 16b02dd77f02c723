@testable import ConnectionManager
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// Later requests on a keep-alive connection: the next head must be complete within the timeout of the
/// previous response (slowloris after a first honest request), and a request in progress is never cut.
@Suite(.timeLimit(.minutes(1))) struct RequestHeadTimeoutTests {
    /// The HTTP side after a first request head: decoder, then the guard (as `WSEServerChannel` sets it up).
    private func keepAlive() async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "192.0.2.7", port: 40000)).get()
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
            try channel.pipeline.syncOperations.addHandler(RequestHeadTimeoutHandler(timeout: .seconds(30)))
        }
        return channel
    }

    private func respond(_ channel: NIOAsyncTestingChannel) async throws {
        try await channel.writeOutbound(HTTPServerResponsePart.head(.init(version: .http1_1, status: .ok, headers: ["content-length": "0"])))
        try await channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    @Test func aNextHeadTrickledInAfterTheResponseIsClosedAtTheTimeout() async throws {
        let channel = try await keepAlive()
        await channel.testingEventLoop.advanceTime(by: .seconds(120))
        #expect(channel.isActive, "the first request is in progress: no timer")
        try await respond(channel)
        try await channel.writeInbound(ByteBuffer(string: "G"))
        await channel.testingEventLoop.advanceTime(by: .seconds(29))
        try await channel.writeInbound(ByteBuffer(string: "E"))
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aNextHeadInTimeStopsTheTimerUntilItsResponse() async throws {
        let channel = try await keepAlive()
        try await respond(channel)
        await channel.testingEventLoop.advanceTime(by: .seconds(29))
        try await channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: node\r\n\r\n"))
        await channel.testingEventLoop.advanceTime(by: .seconds(120))
        #expect(channel.isActive, "a slow response is not cut")
        try await respond(channel)
        await channel.testingEventLoop.advanceTime(by: .seconds(30))
        #expect(!channel.isActive)
    }
}
