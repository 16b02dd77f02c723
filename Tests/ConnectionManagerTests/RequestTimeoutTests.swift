@testable import ConnectionManager
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// Requests after a connection's first head: a body must be complete within the body timeout of its head (a
/// body trickled in), the next head within the head timeout of the previous response (slowloris after a first
/// honest request), and a request whose body is complete is never cut, however slow its response.
@Suite(.timeLimit(.minutes(1))) struct RequestTimeoutTests {
    /// The HTTP side as `WSEServerChannel` sets it up once the first request is not an upgrade: decoder, then the
    /// guard; `first` is that request, as the upgrade handler replays it.
    private func keepAlive(first: String = "GET /healthz HTTP/1.1\r\nHost: node\r\n\r\n") async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "192.0.2.7", port: 40000)).get()
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
            try channel.pipeline.syncOperations.addHandler(RequestTimeoutHandler(headTimeout: .seconds(30), bodyTimeout: .seconds(60)))
        }
        try await channel.writeInbound(ByteBuffer(string: first))
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

    /// A body trickled in after a complete head: a byte every 10 s, never complete: closed at the body timeout.
    @Test func aBodyTrickledInIsClosedAtTheBodyTimeout() async throws {
        let channel = try await keepAlive(first: NIOAsyncTestingChannel.trickledRequestHead)
        try await channel.trickleBody(5, every: .seconds(10))
        await channel.expectClosed(in: .seconds(10))
    }

    /// The same on a later request of a keep-alive connection.
    @Test func aLaterRequestsBodyTrickledInIsClosedAtTheBodyTimeout() async throws {
        let channel = try await keepAlive()
        try await respond(channel)
        try await channel.writeInbound(ByteBuffer(string: "PUT /admin/v1/services/x HTTP/1.1\r\nHost: node\r\nContent-Length: 10\r\n\r\nab"))
        await channel.expectClosed(in: .seconds(60))
    }

    @Test func aBodyCompleteInTimeIsNotCutWhileItsResponseIsSlow() async throws {
        let channel = try await keepAlive(first: "POST /idp/token HTTP/1.1\r\nHost: node\r\nContent-Length: 5\r\n\r\n")
        await channel.testingEventLoop.advanceTime(by: .seconds(59))
        try await channel.writeInbound(ByteBuffer(string: "abcde"))
        try await expectASlowResponseNotCut(channel)
    }

    @Test func aNextHeadInTimeStopsTheTimerUntilItsResponse() async throws {
        let channel = try await keepAlive()
        try await respond(channel)
        await channel.testingEventLoop.advanceTime(by: .seconds(29))
        try await channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: node\r\n\r\n"))
        try await expectASlowResponseNotCut(channel)
    }

    /// A request whose body is complete: its response may take two minutes, then the next head has its 30 s.
    private func expectASlowResponseNotCut(_ channel: NIOAsyncTestingChannel, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        await channel.testingEventLoop.advanceTime(by: .seconds(120))
        #expect(channel.isActive, "a slow response is not cut", sourceLocation: sourceLocation)
        try await respond(channel)
        await channel.expectClosed(in: .seconds(30), sourceLocation: sourceLocation)
    }
}
