import Logging
import NIOCore
import NIOWebSocket
import WSECore

/// The channel handler of one `/wse` connection: the session protocol on top of WebSocket frames.
///
/// It lives on the connection's event loop and holds everything the connection needs while idle
/// (no task, no per-connection logger), so that an idle session costs little memory. Frames arrive
/// already aggregated (NIOWebSocketFrameAggregator); sizes were checked by the decoder and aggregator.
final class SessionChannelHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private enum Phase {
        case awaitingHello
        /// The hello's token is being verified; messages that arrive meanwhile wait in `early`.
        case authenticating(resume: ClientMessage.ResumePoint?)
        case open
        case closing
    }

    private let manager: ConnectionManager
    private let origin: OriginPolicy.Decision
    private var phase = Phase.awaitingHello
    private var context: ChannelHandlerContext?
    private var session: Session?
    /// The session ends (no resume window) when this connection closes: client close 1000, shutdown.
    private var endSessionOnClose = false
    private var early: [ByteBuffer] = []
    private var limiter: InboundRateLimiter
    private var lastMessageAt: NIODeadline
    private var awaitingPong = false
    private var bytesWhileUnwritable = 0
    /// One timer per connection keeps idle sessions small: the hello deadline, then the next heartbeat or token expiry.
    private var timer: Scheduled<Void>?
    private var nextPingAt = NIODeadline.distantFuture
    private var tokenExpiresAt = NIODeadline.distantFuture
    private var slowConsumerTimer: Scheduled<Void>?
    private var closeTimer: Scheduled<Void>?

    private static let maxEarlyMessages = 16

    init(manager: ConnectionManager, origin: OriginPolicy.Decision) {
        self.manager = manager
        self.origin = origin
        let now = NIODeadline.now()
        self.lastMessageAt = now
        self.limiter = InboundRateLimiter(
            messagesPerSecond: manager.configuration.messagesPerSecond, burst: manager.configuration.messageBurst, now: now)
    }

    private var configuration: ConnectionManagerConfiguration { manager.configuration }
    private var link: ConnectionLink { ConnectionLink(self, eventLoop: context!.eventLoop) }

    // MARK: Life cycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let bound = configuration.sendQueueBytes
        try? context.channel.syncOptions?.setOption(
            ChannelOptions.writeBufferWaterMark, value: .init(low: bound / 2, high: bound))
        guard manager.connectionOpened(link) else {
            close(.goingAway, reason: "server shutting down", endingSession: true)
            return
        }
        guard case .allowed = origin else {
            close(WebSocketErrorCode(CloseCode.originNotAllowed), reason: "origin not allowed", endingSession: true)
            return
        }
        armTimer(at: .now() + TimeAmount(configuration.helloTimeout))
    }

    func channelInactive(context: ChannelHandlerContext) {
        for timer in [timer, slowConsumerTimer, closeTimer] { timer?.cancel() }
        phase = .closing
        releaseSession()
        manager.connectionClosed(link)
        self.context = nil
        context.fireChannelInactive()
    }

    /// Hummingbird allows half-closed connections; a client that stops sending is gone for a session.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength:
            close(.messageTooLarge, reason: "frame larger than \(configuration.maxFrameSize) bytes", endingSession: false)
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            close(.messageTooLarge, reason: "message larger than \(configuration.maxMessageSize) bytes", endingSession: false)
        case NIOWebSocketFrameAggregator.Error.tooManyFragments:
            close(.messageTooLarge, reason: "more than \(configuration.maxFragmentsPerMessage) fragments", endingSession: false)
        case is NIOWebSocketError, is NIOWebSocketFrameAggregator.Error:
            close(.protocolError, reason: "WebSocket protocol error", endingSession: false)
        default:
            context.close(promise: nil)
        }
    }

    // MARK: Inbound frames

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !frame.hasReservedBits else {
            close(.protocolError, reason: "reserved bits set without an extension", endingSession: false)
            return
        }
        switch frame.opcode {
        case .text:
            received(text: frame.unmaskedData)
        case .binary:
            receivedBinary()
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            awaitingPong = false
        case .connectionClose:
            receivedClose(frame.unmaskedData)
        default:
            close(.protocolError, reason: "unexpected frame", endingSession: false)
        }
    }

    private func received(text: ByteBuffer) {
        switch phase {
        case .closing:
            return
        case .awaitingHello:
            readHello(text)
        case .authenticating:
            guard early.count < Self.maxEarlyMessages else {
                close(WebSocketErrorCode(CloseCode.protocolViolation), reason: "too many messages before welcome", endingSession: true)
                return
            }
            early.append(text)
        case .open:
            handle(text)
        }
    }

    private func receivedBinary() {
        switch phase {
        case .closing: return
        case .awaitingHello, .authenticating:
            close(WebSocketErrorCode(CloseCode.protocolViolation), reason: "the first message must be a hello", endingSession: true)
        case .open:
            guard admit() else { return }
            _ = session?.send(.error(id: nil, code: .badRequest, message: "binary frames are not part of the protocol; send JSON text"))
        }
    }

    private func receivedClose(_ payload: ByteBuffer) {
        guard case .closing = phase else {
            // The client closes: answer with its code (RFC 6455 §5.5.1). 1000 means it is done with the session.
            var payload = payload
            let code = CloseFrame.validCode(in: &payload) ?? .protocolError
            manager.metrics.recordClose(code: code.number, byClient: true)
            close(code, reason: "", endingSession: code == .normalClosure, answeringClient: true)
            return
        }
        context?.close(promise: nil)
    }

    // MARK: hello

    private func readHello(_ text: ByteBuffer) {
        let message: ClientMessage
        do throws(ClientMessageError) {
            message = try ClientMessage.decode(text.readableBytesView)
        } catch {
            // A hello without a usable token is a missing token (4401); anything else breaks the protocol.
            let isHello = (try? JSONValue.parse(text.readableBytesView))?["type"]?.stringValue == "hello"
            let code = isHello ? CloseCode.unauthorized : CloseCode.protocolViolation
            close(WebSocketErrorCode(code), reason: error.message, endingSession: true)
            return
        }
        guard case .hello(let token, let resume) = message else {
            close(WebSocketErrorCode(CloseCode.protocolViolation), reason: "the first message must be a hello", endingSession: true)
            return
        }
        timer?.cancel()
        timer = nil
        phase = .authenticating(resume: resume)
        let loop = NIOLoopBound(self, eventLoop: context!.eventLoop)
        let tokens = manager.tokens
        Task {
            let result: Result<Principal, TokenError>
            do throws(TokenError) {
                result = .success(try await tokens.verify(token: token))
            } catch {
                result = .failure(error)
            }
            loop.eventLoop.execute { loop.value.tokenVerified(result) }
        }
    }

    private func tokenVerified(_ result: Result<Principal, TokenError>) {
        guard case .authenticating(let resume) = phase, context != nil else { return }
        var principal: Principal
        switch result {
        case .failure(let error):
            close(WebSocketErrorCode(CloseCode.unauthorized), reason: error.description, endingSession: true)
            return
        case .success(let verified):
            principal = verified
        }
        guard principal.expiresAt.timeIntervalSinceNow > 0 else {
            close(WebSocketErrorCode(CloseCode.unauthorized), reason: TokenError.expired.description, endingSession: true)
            return
        }
        if case .allowed(let retailer) = origin { principal.retailer = retailer }

        phase = .open
        let (session, replaced) = manager.openSession(for: principal, resume: resume, on: link)
        self.session = session
        replaced?.close(.normalClosure, reason: "session resumed on another connection", endingSession: false)

        let now = NIODeadline.now()
        tokenExpiresAt = now + .nanoseconds(Int64(principal.expiresAt.timeIntervalSinceNow * 1e9))
        nextPingAt = now + TimeAmount(configuration.heartbeatInterval)
        armTimer(at: min(nextPingAt, tokenExpiresAt))
        let waiting = early
        early = []
        for text in waiting { handle(text) }
    }

    // MARK: Session messages

    private func handle(_ text: ByteBuffer) {
        guard case .open = phase, let session else { return }
        guard admit() else { return }
        manager.metrics.messagesIn.increment()
        lastMessageAt = .now()
        let message: ClientMessage
        do throws(ClientMessageError) {
            message = try ClientMessage.decode(text.readableBytesView)
        } catch {
            _ = session.send(.error(id: error.requestID, code: .badRequest, message: error.message))
            return
        }
        switch message {
        case .hello:
            _ = session.send(.error(id: nil, code: .badRequest, message: "this session already said hello"))
        case .request(let request):
            manager.handle(request, from: session)
        case .cancel(let pid):
            manager.cancel(pid: pid, from: session)
        case .ack(let seq):
            session.acknowledge(through: seq)
        }
    }

    /// The inbound rate limit: refuse with `rate_limited`, and close with 1008 after too many refusals in a row.
    private func admit() -> Bool {
        if limiter.admit(now: .now()) { return true }
        if limiter.strikes >= configuration.rateLimitStrikes {
            close(.policyViolation, reason: "message rate limit exceeded repeatedly", endingSession: false)
        } else {
            _ = session?.send(.error(
                id: nil, code: .rateLimited,
                message: "more than \(configuration.messagesPerSecond) messages per second; this one was dropped"))
        }
        return false
    }

    // MARK: Timer

    private func armTimer(at deadline: NIODeadline) {
        guard let context else { return }
        timer?.cancel()
        let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) { loop.value.timerFired() }
    }

    private func timerFired() {
        timer = nil
        switch phase {
        case .awaitingHello:
            close(WebSocketErrorCode(CloseCode.timedOut), reason: "no hello in time", endingSession: true)
        case .open:
            let now = NIODeadline.now()
            if now >= tokenExpiresAt {
                close(WebSocketErrorCode(CloseCode.unauthorized), reason: TokenError.expired.description, endingSession: false)
                return
            }
            if now >= nextPingAt {
                nextPingAt = now + TimeAmount(configuration.heartbeatInterval)
                beat()
            }
            if case .open = phase { armTimer(at: min(nextPingAt, tokenExpiresAt)) }
        case .authenticating, .closing:
            break
        }
    }

    /// Sends a ping; closes a peer that did not answer the previous one, or that stayed idle too long.
    private func beat() {
        guard case .open = phase, let context else { return }
        if awaitingPong {
            close(WebSocketErrorCode(CloseCode.timedOut), reason: "no pong to the last ping", endingSession: false)
            return
        }
        if let idle = configuration.idleTimeout, NIODeadline.now() - lastMessageAt >= TimeAmount(idle) {
            close(WebSocketErrorCode(CloseCode.timedOut), reason: "idle for too long", endingSession: false)
            return
        }
        awaitingPong = true
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())), promise: nil)
    }

    // MARK: Outbound

    /// Writes one text frame for the session; watches the send queue for a slow consumer.
    func deliver(_ text: String) {
        guard case .open = phase, let context else { return }
        let buffer = context.channel.allocator.buffer(string: text)
        manager.metrics.messagesOut.increment()
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
        if !context.channel.isWritable {
            bytesWhileUnwritable += buffer.readableBytes
            if bytesWhileUnwritable > configuration.sendQueueHardLimit {
                closeSlowConsumer()
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            slowConsumerTimer?.cancel()
            slowConsumerTimer = nil
            bytesWhileUnwritable = 0
        } else if slowConsumerTimer == nil, case .open = phase {
            let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
            slowConsumerTimer = context.eventLoop.scheduleTask(in: TimeAmount(configuration.slowConsumerGrace)) {
                loop.value.closeSlowConsumer()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func closeSlowConsumer() {
        guard case .open = phase else { return }
        manager.metrics.slowConsumerCloses.increment()
        close(WebSocketErrorCode(CloseCode.slowConsumer), reason: "client reads too slowly", endingSession: false)
    }

    // MARK: Closing

    /// Sends a close frame and drops the connection when the peer answers or after `closeTimeout`
    /// (at once after the frame when `answeringClient`: the client already sent its close frame).
    /// The session detaches at once, so events sent from now on wait in its resume buffer.
    func close(_ code: WebSocketErrorCode, reason: String, endingSession: Bool, answeringClient: Bool = false) {
        guard let context else { return }
        if case .closing = phase { return }
        phase = .closing
        endSessionOnClose = endSessionOnClose || endingSession
        manager.logger.debug("closing WebSocket", metadata: [
            "wse.session": "\(session?.id ?? "-")", "wse.close_code": "\(code.number)", "wse.close_reason": "\(reason)",
        ])
        releaseSession()
        if !answeringClient { manager.metrics.recordClose(code: code.number, byClient: false) }

        var payload = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        payload.write(webSocketErrorCode: code)
        payload.writeString(String(reason.utf8.prefix(123)) ?? "")
        let written = context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)))
        let channel = context.channel
        if answeringClient {
            written.whenComplete { _ in channel.close(promise: nil) }
            return
        }
        closeTimer = context.eventLoop.scheduleTask(in: TimeAmount(configuration.closeTimeout)) {
            channel.close(promise: nil)
        }
    }

    /// Detaches from the session (it waits for a resume), or ends it.
    private func releaseSession() {
        guard let session, let context else { return }
        self.session = nil
        manager.release(session, from: link, ending: endSessionOnClose, eventLoop: context.eventLoop)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
