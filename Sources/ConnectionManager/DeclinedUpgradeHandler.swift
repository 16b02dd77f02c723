import NIOCore
import NIOHTTP1

/// Takes the upgrade request out of a first request that no upgrader serves (an `Upgrade` header on a path that is
/// not a WebSocket endpoint, such as `Upgrade: h2c` from `curl --http2`), so that it is answered as plain HTTP.
///
/// Without it the connection closes with no answer: NIO's typed upgrade handler does not keep the request head
/// while it asks the upgraders, and when none takes the request only the rest of it goes on (swift-nio 2.101).
/// Sits between the HTTP decoder and the upgrade handler, and leaves after the first head, as the upgrade handler does.
final class DeclinedUpgradeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    /// Whether a head asks for a path this node upgrades.
    private let upgrades: (HTTPRequestHead) -> Bool

    init(upgrades: @escaping (HTTPRequestHead) -> Bool) { self.upgrades = upgrades }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        // Removed after passing the head on (a removed handler's reads go nowhere), before the request's end can
        // complete an upgrade: then the pipeline carries WebSocket frames, which this handler must not see.
        defer { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
        guard head.headers.contains(name: "upgrade"), !upgrades(head) else {
            context.fireChannelRead(data)
            return
        }
        head.headers.remove(name: "upgrade")
        let connection = head.headers[canonicalForm: "connection"].filter { $0.lowercased() != "upgrade" }
        head.headers.remove(name: "connection")
        if !connection.isEmpty { head.headers.add(name: "connection", value: connection.joined(separator: ", ")) }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
