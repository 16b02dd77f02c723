import NIOCore
import NIOHTTP1

/// Closes a keep-alive HTTP connection whose next request head does not complete within `timeout` of the
/// previous response (slowloris on a later request; the first one is guarded by ``FirstRequestHandler``).
///
/// Sits right after the HTTP decoder on the plain HTTP side: it sees each request's head arrive and each
/// response's end leave. The timer runs only while no request is in progress, so a slow handler or a long
/// response is never cut by it (Hummingbird's idle timeout, when set, still applies).
final class RequestHeadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeout: TimeAmount
    /// Requests whose head came and whose response has not ended yet (added once the first head came).
    private var requestsInProgress = 1
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            requestsInProgress += 1
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress = max(0, requestsInProgress - 1)
            if requestsInProgress == 0, deadline == nil {
                let channel = context.channel
                deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            }
        }
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}
