import NIOCore
import NIOHTTP1

/// Times the requests of a plain HTTP connection after its first head (which ``FirstRequestHandler`` guards):
/// - a request's body must be complete within `bodyTimeout` of its head (a body trickled in, slowloris after the
///   head; every body the node reads is bounded, so an honest client sends it well within the time);
/// - on a keep-alive connection, the next request's head must be complete within `headTimeout` of the previous
///   response.
/// A connection over either deadline is closed. Between a request's complete body and its response's end no
/// timer runs, so a slow handler or a long response is never cut by it (Hummingbird's idle timeout, when set,
/// still applies).
///
/// Sits after the upgrade handler on the plain HTTP side (added when the first request is known not to be an
/// upgrade): it sees the first request's head and buffered parts replayed, then every later part arrive, and
/// each response's end leave.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    /// Requests whose head came and whose response has not ended yet.
    private var requestsInProgress = 0
    private var headDeadline: Scheduled<Void>?
    private var bodyDeadline: Scheduled<Void>?

    init(headTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestsInProgress += 1
            headDeadline?.cancel()
            headDeadline = nil
            bodyDeadline?.cancel()
            bodyDeadline = Self.close(context, in: bodyTimeout)
        case .body:
            break
        case .end:
            bodyDeadline?.cancel()
            bodyDeadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress = max(0, requestsInProgress - 1)
            if requestsInProgress == 0, headDeadline == nil { headDeadline = Self.close(context, in: headTimeout) }
        }
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimers() }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    private func cancelTimers() {
        headDeadline?.cancel()
        headDeadline = nil
        bodyDeadline?.cancel()
        bodyDeadline = nil
    }

    private static func close(_ context: ChannelHandlerContext, in time: TimeAmount) -> Scheduled<Void> {
        let channel = context.channel
        return context.eventLoop.scheduleTask(in: time) { channel.close(promise: nil) }
    }
}
