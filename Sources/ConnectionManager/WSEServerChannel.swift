import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// Hummingbird's child channel for the node's one port: an upgrade to `/wse` (or `/wse/echo`) becomes
/// lean NIO WebSocket handlers (no task per connection); every other request goes to the Hummingbird router.
///
/// Like Hummingbird's own WebSocket channel, only the first request of a connection may upgrade.
struct WSEServerChannel: ServerChildChannel, HTTPChannelHandler {
    enum Outcome: Sendable {
        case webSocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    struct Value: ServerChildChannelValue {
        let outcome: EventLoopFuture<Outcome>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let manager: ConnectionManager
    let http1: HTTP1Channel.Configuration
    /// Adds handlers in front of the HTTP ones on each new connection (the node's TLS handler).
    var prepare: @Sendable (any Channel) throws -> Void = { _ in }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard manager.connectionsPerAddress.admit(channel) else {
            logger.debug("connection refused: too many from its address", metadata: ["peer": "\(channel.remoteAddress?.ipAddress ?? "-")"])
            channel.close(promise: nil)
            return channel.eventLoop.makeSucceededFuture(
                Value(outcome: channel.eventLoop.makeFailedFuture(ConnectionRefused()), channel: channel))
        }
        return channel.eventLoop.makeCompletedFuture {
            // NIO keeps a connection's last receive buffer for its next read (NIOPooledRecvBufferAllocator), for
            // as long as the connection lives: with the default first size (2 KiB) every idle session held 2 KiB
            // for it. Starting at 1 KiB (an upgrade request and a `hello` fit) halves that; a read that fills
            // the buffer still grows it, as before.
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
            try self.prepare(channel)
            let manager = self.manager
            let configuration = manager.configuration
            let upgrader = NIOTypedWebSocketServerUpgrader<Outcome>(
                maxFrameSize: configuration.maxFrameSize,
                enableAutomaticErrorHandling: false,  // SessionChannelHandler answers protocol errors itself
                shouldUpgrade: { channel, head in
                    channel.eventLoop.makeSucceededFuture(Self.endpoint(of: head, configuration) == nil ? nil : HTTPHeaders())
                },
                upgradePipelineHandler: { channel, head in
                    channel.eventLoop.makeCompletedFuture {
                        FirstRequestHandler.requestHeadArrived(on: channel)
                        try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: configuration.maxFragmentsPerMessage,
                            maxAccumulatedFrameSize: configuration.maxMessageSize))
                        switch Self.endpoint(of: head, configuration) {
                        case .echo:
                            try channel.pipeline.syncOperations.addHandler(EchoChannelHandler())
                        case .session, nil:
                            let origin = manager.originPolicy.decide(origin: head.headers.first(name: "origin"))
                            try channel.pipeline.syncOperations.addHandler(SessionChannelHandler(
                                manager: manager, origin: origin, now: channel.eventLoop.now))
                        }
                        return .webSocket
                    }
                })
            let http1 = self.http1
            let requestHeadTimeout = TimeAmount(configuration.requestHeadTimeout)
            let requestBodyTimeout = TimeAmount(configuration.requestBodyTimeout)
            var pipeline = NIOUpgradableHTTPServerPipelineConfiguration<Outcome>(
                upgradeConfiguration: .init(upgraders: [upgrader], notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        FirstRequestHandler.requestHeadArrived(on: channel)
                        // Last so far, after the upgrade handler: it sees the first request's head when that is replayed.
                        try channel.pipeline.syncOperations.addHandler(
                            RequestTimeoutHandler(headTimeout: requestHeadTimeout, bodyTimeout: requestBodyTimeout))
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try channel.pipeline.syncOperations.addHandlers(http1.additionalChannelHandlers())
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { Duration($0) }, logger: logger))
                        return .http(try NIOAsyncChannel(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)))
                    }
                }))
            pipeline.enablePipelining = false  // HTTP is pipelined by NIOAsyncChannel
            pipeline.enableErrorHandling = false  // Hummingbird handles HTTP errors
            pipeline.enableResponseHeaderValidation = false  // swift-http-types already validates
            pipeline.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            pipeline.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            pipeline.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            try channel.pipeline.syncOperations.addHandler(FirstRequestHandler(timeout: requestHeadTimeout))
            let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: pipeline)
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(
                DeclinedUpgradeHandler { Self.endpoint(of: $0, configuration) != nil }, position: .after(decoder))
            return Value(outcome: outcome, channel: channel)
        }
    }

    /// Receive buffer sizes of a connection: from 1 KiB (NIO's default starts at 2 KiB), up to 64 KiB.
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 1024, maximum: 65536)

    /// Serves plain HTTP through Hummingbird; a WebSocket connection needs nothing more from this task.
    func handle(value: Value, logger: Logger) async {
        do {
            if case .http(let http) = try await value.outcome.get() {
                await handleHTTP(asyncChannel: http, logger: logger)
            }
        } catch {
            logger.debug("HTTP upgrade failed", metadata: ["error": "\(error)"])
        }
    }

    /// The connection was closed at accept: its address holds `maxConnectionsPerAddress` connections already.
    struct ConnectionRefused: Error {}

    private enum Endpoint {
        case session, echo
    }

    private static func endpoint(of head: HTTPRequestHead, _ configuration: ConnectionManagerConfiguration) -> Endpoint? {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if path == configuration.path { return .session }
        if configuration.echoEndpoint, path == configuration.echoPath { return .echo }
        return nil
    }
}

extension ConnectionManager {
    /// The server to pass as `Application(router:server:)`: `/wse` is served by this manager, every other
    /// path by the application's router, on the same port.
    /// - Parameters:
    ///   - http1: settings of the plain HTTP side (keep-alive idle timeout, header limits).
    ///   - prepare: adds handlers in front of every new connection's HTTP handlers, such as TLS.
    public func httpServer(
        http1: HTTP1Channel.Configuration = .init(), prepare: @escaping @Sendable (any Channel) throws -> Void = { _ in }
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            WSEServerChannel(responder: responder, manager: self, http1: http1, prepare: prepare)
        }
    }
}

extension Duration {
    init(_ amount: TimeAmount) { self = .nanoseconds(amount.nanoseconds) }
}
