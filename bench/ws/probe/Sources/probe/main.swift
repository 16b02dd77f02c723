import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOPosix
import NIOWebSocket

// usage: probe hb|nio PORT
let mode = CommandLine.arguments[1]
let port = Int(CommandLine.arguments[2])!
let router = Router(context: BasicWebSocketRequestContext.self)
router.get("/healthz") { _, _ in "ok" }

let server: HTTPServerBuilder
if mode == "hb" {
    router.ws("/wse") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, _ in
        for try await message in inbound.messages(maxSize: 1 << 16) {
            if case .text(let s) = message { try await outbound.write(.text(s)) }
        }
    }
    server = .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(
        http1: .init(), ws: .init(maxFrameSize: 1 << 16, extensions: [], autoPing: .disabled)))
} else {
    server = HTTPServerBuilder { responder in LeanChannel(responder: responder) }
}
var logger = Logger(label: "probe")
logger.logLevel = .warning
let app = Application(router: router, server: server,
                      configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
try await app.runService()

/// `/wse` becomes lean NIO handlers; everything else goes to the Hummingbird responder.
struct LeanChannel: ServerChildChannel, HTTPChannelHandler {
    enum Outcome: Sendable {
        case webSocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }
    struct Value: ServerChildChannelValue {
        let outcome: EventLoopFuture<Outcome>
        let channel: any Channel
    }
    let responder: HTTPChannelHandler.Responder

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let upgrader = NIOTypedWebSocketServerUpgrader<Outcome>(
                maxFrameSize: 1 << 16,
                shouldUpgrade: { channel, head in
                    channel.eventLoop.makeSucceededFuture(head.uri == "/wse" ? HTTPHeaders() : nil)
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(EchoHandler())
                        return .webSocket
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Outcome>(
                upgradeConfiguration: .init(upgraders: [upgrader], notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
                        return .http(try NIOAsyncChannel(wrappingChannelSynchronously: channel,
                                                         configuration: .init(isOutboundHalfClosureEnabled: true)))
                    }
                }))
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(outcome: outcome, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard let outcome = try? await value.outcome.get() else { return }
        if case .http(let http) = outcome { await handleHTTP(asyncChannel: http, logger: logger) }
    }
}

final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default: break
        }
    }
}
