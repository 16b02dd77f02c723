import WSEApp
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Opens a client WebSocket to a node's `/wse` with the `Origin` the driver chooses: the node
/// admits a session by its page's origin, and the demo admits its own URL (HummingbirdWSClient
/// would send `ws://host`, which no retailer declares).
enum DemoDriverSocket {
    typealias Channel = NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    private enum Upgrade: Sendable {
        case upgraded(Channel)
        case refused
    }

    static func connect(_ endpoint: DemoDriverEndpoint, origin: String) async throws -> Channel {
        let upgrade = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context = endpoint.tlsContext {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: endpoint.serverHostname))
                    }
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: 1 << 20) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            // Messages may come in fragments; the session reads whole ones.
                            try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                                minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 256, maxAccumulatedFrameSize: 1 << 20))
                            return .upgraded(try Channel(wrappingChannelSynchronously: channel))
                        }
                    }
                    let head = HTTPRequestHead(
                        version: .http1_1, method: .GET, uri: "/wse",
                        headers: ["Host": "\(endpoint.host):\(endpoint.port)", "Origin": origin])
                    var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: .init(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { $0.eventLoop.makeSucceededFuture(Upgrade.refused) }))
                    // A close frame the node sends right after its 101 (4403) may arrive in the same read.
                    configuration.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
                }
            }
        switch try await upgrade.get() {
        case .upgraded(let channel):
            return channel
        case .refused:
            throw DemoDriverError("\(endpoint.baseURL)/wse did not accept a WebSocket upgrade: is --node the URL of a WSE node?")
        }
    }
}
