import Logging
import NIOCore
import NIOWebSocket
import WSECore

/// The channel handler of one `/wse` connection: performs what its ``SessionStateMachine`` decides.
///
/// It lives on the connection's event loop and holds everything the connection needs while idle
/// (the state machine inline, one timer, no task, no per-connection logger), so that an idle session costs
/// little memory. Time is the event loop's clock (`context.eventLoop.now`), so a test event loop drives
/// every deadline. Frames arrive already aggregated (NIOWebSocketFrameAggregator); sizes were checked by
/// the decoder and aggregator.
final class SessionChannelHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let manager: ConnectionManager
    private let origin: OriginPolicy.Decision
    private var machine: SessionStateMachine
    private var context: ChannelHandlerContext?
    private var session: Session?
    /// The one timer of the connection, armed where the state machine says.
    private var timer: Scheduled<Void>?

    init(manager: ConnectionManager, origin: OriginPolicy.Decision, now: NIODeadline) {
        self.manager = manager
        self.origin = origin
        self.machine = SessionStateMachine(limits: manager.limits, now: now)
    }

    private var link: ConnectionLink { ConnectionLink(self, eventLoop: context!.eventLoop) }

    // MARK: Life cycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let bound = manager.configuration.sendQueueBytes
        try? context.channel.syncOptions?.setOption(
            ChannelOptions.writeBufferWaterMark, value: .init(low: bound / 2, high: bound))
        let accepted = manager.connectionOpened(link)
        let originAllowed = if case .allowed = origin { true } else { false }
        switch machine.connectionOpened(accepted: accepted, originAllowed: originAllowed, now: context.eventLoop.now) {
        case .armTimer(let deadline): armTimer(at: deadline)
        case .close(let close): perform(close)
        case .none: break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        machine.connectionClosed()
        releaseSession(ending: false)
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
        let refused: SessionStateMachine.FrameError
        switch error {
        case NIOWebSocketError.invalidFrameLength: refused = .frameTooLarge
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge: refused = .messageTooLarge
        case NIOWebSocketFrameAggregator.Error.tooManyFragments: refused = .tooManyFragments
        case is NIOWebSocketError, is NIOWebSocketFrameAggregator.Error: refused = .malformed
        default:
            context.close(promise: nil)
            return
        }
        if let close = machine.frameRefused(refused, now: context.eventLoop.now) { perform(close) }
    }

    // MARK: Inbound frames

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let now = context.eventLoop.now
        guard !frame.hasReservedBits else {
            if let close = machine.frameRefused(.reservedBits, now: now) { perform(close) }
            return
        }
        switch frame.opcode {
        case .text:
            perform(machine.textReceived(frame.unmaskedData, now: now))
        case .binary:
            perform(machine.binaryReceived(now: now))
        case .ping:
            if machine.pingReceived() { write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)) }
        case .pong:
            machine.pongReceived()
        case .connectionClose:
            var payload = frame.unmaskedData
            switch machine.closeFrameReceived(code: CloseFrame.validCode(in: &payload), now: now) {
            case .answer(let close): perform(close, byClient: true)
            case .drop: context.close(promise: nil)
            }
        default:
            if let close = machine.frameRefused(.unexpectedFrame, now: now) { perform(close) }
        }
    }

    private func perform(_ action: SessionStateMachine.MessageAction) {
        switch action {
        case .none:
            break
        case .verifyToken(let token, let deadline):
            timer?.cancel()
            timer = nil
            if let deadline { armTimer(at: deadline) }
            verify(token)
        case .deliver(let message):
            manager.metrics.messagesIn.increment()
            guard let session else { return }
            switch message {
            case .request(let request): manager.handle(request, from: session)
            case .cancel(let pid): manager.cancel(pid: pid, from: session)
            case .ack(let seq): session.acknowledge(through: seq, recordingIn: manager.configuration.journal)
            case .hello: break  // answered by the state machine
            }
        case .answer(let error):
            manager.metrics.messagesIn.increment()
            _ = session?.send(error)
        case .refuse(let error):
            _ = session?.send(error)
        case .close(let close):
            perform(close)
        }
    }

    // MARK: hello

    /// Token verification may do I/O (the issuer's keys), hence a task, one per `hello`: it ends with the
    /// verification and hands the result back to the event loop.
    private func verify(_ token: String) {
        guard let context else { return }
        let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
        let tokens = manager.tokens
        let manager = self.manager
        let resume: ClientMessage.ResumePoint? = if case .authenticating(let resume, _) = machine.phase { resume } else { nil }
        Task {
            let result: Result<Principal, TokenError>
            do throws(TokenError) {
                result = .success(try await tokens.verify(token: token))
            } catch {
                result = .failure(error)
            }
            // Cluster mode with the shared store: a session held by no one here may be taken over first.
            if let resume, case .success(let principal) = result {
                await manager.takeOverIfElsewhere(resume, for: principal, eventLoop: loop.eventLoop)
            }
            loop.eventLoop.execute { loop.value.tokenVerified(result) }
        }
    }

    private func tokenVerified(_ result: Result<Principal, TokenError>) {
        guard let context else { return }
        let action = machine.tokenVerified(result, wallClock: manager.configuration.wallClock(), now: context.eventLoop.now)
        switch action {
        case .none:
            break
        case .close(let close):
            perform(close)
        case .open(var principal, let resume, let early, let deadline):
            principal.retailer = manager.originPolicy.retailer(authorizedParty: principal.authorizedParty, origin: origin)
            guard let (session, replaced) = manager.openSession(for: principal, resume: resume, on: link) else {
                close(WebSocketErrorCode(CloseCode.tooManySessions), reason: "too many sessions for this user", endingSession: true)
                return
            }
            self.session = session
            replaced?.close(.normalClosure, reason: "session resumed on another connection", endingSession: false)
            armTimer(at: deadline)
            for text in early { perform(machine.textReceived(text, now: context.eventLoop.now)) }
        }
    }

    // MARK: Timer

    private func armTimer(at deadline: NIODeadline) {
        guard let context else { return }
        timer?.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) { handler.value.timerFired() }
    }

    private func timerFired() {
        guard let context else { return }
        timer = nil
        switch machine.timerFired(now: context.eventLoop.now) {
        case .none:
            break
        case .armTimer(let deadline):
            armTimer(at: deadline)
        case .ping(let deadline):
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())), promise: nil)
            armTimer(at: deadline)
        case .close(let close):
            perform(close)
        case .drop:
            context.close(promise: nil)
        }
    }

    // MARK: Outbound

    /// Writes what the session queued for this connection, one text frame each, and flushes once
    /// (``ConnectionLink/scheduleFlush()``).
    func flushOutbox() {
        guard let session, let context else { return }
        let messages = session.takeOutbox(for: ObjectIdentifier(self))
        guard machine.isOpen, !messages.isEmpty else { return }
        manager.metrics.messagesOut.increment(by: Int64(messages.count))
        var unflushed = 0
        for message in messages {
            var buffer = context.channel.allocator.buffer(capacity: Self.frameHeaderRoom + message.byteCount)
            buffer.moveWriterIndex(forwardBy: Self.frameHeaderRoom)
            buffer.moveReaderIndex(forwardBy: Self.frameHeaderRoom)
            message.write(to: &buffer)
            unflushed += buffer.readableBytes
            // The buffer's last use: the encoder then owns it alone and may write the header into its room.
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
            // A long burst is flushed in parts, so that it is not counted against the send queue's bound at once.
            if unflushed >= Self.flushEvery {
                guard flushed(bytes: unflushed) else { return }
                unflushed = 0
            }
        }
        if unflushed > 0 { _ = flushed(bytes: unflushed) }
    }

    /// Room left before a frame's payload for its header (at most 10 bytes, unmasked): NIO's frame encoder
    /// then writes the header there, instead of into a buffer of its own written (and copied) per frame.
    private static let frameHeaderRoom = 10

    /// Bytes written without a flush at most, while a burst of queued messages is written.
    private static let flushEvery = 64 * 1024

    /// Writes a frame that counts against the send queue's bound (pongs).
    private func write(_ frame: WebSocketFrame) {
        guard let context else { return }
        context.write(wrapOutboundOut(frame), promise: nil)
        _ = flushed(bytes: frame.data.readableBytes)
    }

    /// Flushes what was written. Bytes written while the queue is over its bound may close the connection
    /// as a slow consumer. - Returns: false when the connection is closing now.
    private func flushed(bytes: Int) -> Bool {
        guard let context else { return false }
        context.flush()
        if !context.channel.isWritable, let close = machine.queuedWhileUnwritable(bytes: bytes, now: context.eventLoop.now) {
            perform(close)
            return false
        }
        return true
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let deadline = machine.writabilityChanged(isWritable: context.channel.isWritable, now: context.eventLoop.now) {
            armTimer(at: deadline)
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Closing

    /// Starts the close handshake (called through ``ConnectionLink`` by the manager and by other connections).
    /// With `endingSession`, the session ends instead of waiting for a resume.
    func close(_ code: WebSocketErrorCode, reason: String, endingSession: Bool) {
        guard let context,
            let close = machine.close(code, reason: reason, endingSession: endingSession, now: context.eventLoop.now)
        else { return }
        perform(close)
    }

    /// Sends the close frame and arms the drop deadline; the session detaches at once (or ends), so events
    /// sent from now on wait in its resume buffer.
    private func perform(_ close: SessionStateMachine.Close, byClient: Bool = false) {
        guard let context else { return }
        manager.logger.debug("closing WebSocket", metadata: [
            "wse.session": "\(session?.id ?? "-")", "wse.close_code": "\(close.code.number)", "wse.close_reason": "\(close.reason)",
        ])
        releaseSession(ending: close.endingSession)
        manager.metrics.recordClose(code: close.code.number, byClient: byClient)
        if !byClient, close.code == WebSocketErrorCode(CloseCode.slowConsumer) { manager.metrics.slowConsumerCloses.increment() }

        var payload = context.channel.allocator.buffer(capacity: 2 + close.reason.utf8.count)
        payload.write(webSocketErrorCode: close.code)
        payload.writeString(String(close.reason.utf8.prefix(123)) ?? "")
        let written = context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)))
        if close.dropOnceWritten {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
        armTimer(at: close.dropAt)
    }

    /// Detaches from the session (it waits for a resume), or ends it.
    private func releaseSession(ending: Bool) {
        guard let session, let context else { return }
        self.session = nil
        manager.release(session, from: link, ending: ending, eventLoop: context.eventLoop)
    }
}
