import NIOCore

/// Guards a connection until the head of its first request is complete, then is removed
/// (``requestHeadArrived(on:)``, called where the HTTP pipeline learns of the head: the upgrade or not).
///
/// Before the first request head nothing else in the pipeline looks after the connection: Hummingbird's
/// connection state handler joins only once a request has come (it is not an upgrade). Without this, a client
/// that connects and sends nothing, or sends `G` and then a byte every 10 s (slowloris), holds a socket for as
/// long as it likes and holds the node's graceful shutdown open. So: one whose request head is not complete
/// within `timeout` is closed, and a graceful shutdown closes it at once (there is nothing to finish).
/// Later requests on a keep-alive connection, and every request's body, are timed by ``RequestTimeoutHandler``.
final class FirstRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    /// The first request's head is complete: the guard steps aside.
    static func requestHeadArrived(on channel: any Channel) {
        guard let context = try? channel.pipeline.syncOperations.context(handlerType: FirstRequestHandler.self) else { return }
        channel.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }
}
