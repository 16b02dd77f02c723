import Foundation
import NIOCore
import NIOWebSocket
import WSECore

/// The session protocol of one `/wse` connection (PROTOCOL.md) as a value: its phases, its deadlines
/// (hello, heartbeat, idle, token expiry, slow consumer, close), the messages kept while the token is
/// verified, the inbound rate limit, the pong accounting and the send queue's bound (from the upgrade on,
/// session or not: pongs count too).
///
/// It does no I/O and reads no clock: every method takes the current time and returns what to do, which
/// `SessionChannelHandler` performs, as SwiftNIO pairs its HTTP upgrade handler with
/// `NIOTypedHTTPServerUpgraderStateMachine`. The connection has one timer; the machine names when to arm it.
/// A timer that fires early is harmless: ``timerFired(now:)`` does what is due and names the next deadline.
struct SessionStateMachine {
    enum Phase {
        /// The first message must be a `hello` before `deadline`.
        case awaitingHello(deadline: NIODeadline)
        /// The hello's token is being verified; messages that arrive meanwhile wait in `early`.
        case authenticating(resume: ClientMessage.ResumePoint?, early: [ByteBuffer])
        case open(Open)
        /// Our close frame is out; the connection is dropped at `dropAt` unless the peer answers first.
        case closing(dropAt: NIODeadline)
        /// The connection is gone.
        case closed
    }

    /// The state of a session's connection between `welcome` and the close.
    struct Open {
        var tokenExpiresAt: NIODeadline
        var nextPingAt: NIODeadline
        /// The last client message that passed the rate limit (pongs do not count).
        var lastMessageAt: NIODeadline
        var awaitingPong = false
        var limiter: InboundRateLimiter
    }

    /// The send queue while it is over its bound.
    struct SendQueue {
        /// Set while the send queue is over its bound: when the client becomes a slow consumer.
        var slowConsumerAt: NIODeadline?
        var bytesWhileUnwritable = 0
    }

    let limits: SessionLimits
    private(set) var phase: Phase
    private var sendQueue = SendQueue()

    init(limits: SessionLimits, now: NIODeadline) {
        self.limits = limits
        self.phase = .awaitingHello(deadline: now + limits.helloTimeout)
    }

    /// Whether session messages may be written to the client.
    var isOpen: Bool {
        if case .open = phase { return true }
        return false
    }

    /// The next deadline of the current phase, or nil when there is none (authenticating, the queue under its bound).
    private var nextDeadline: NIODeadline? {
        let slowConsumerAt = sendQueue.slowConsumerAt
        switch phase {
        case .awaitingHello(let deadline): return min(deadline, slowConsumerAt ?? .distantFuture)
        case .authenticating: return slowConsumerAt
        case .open(let open): return min(open.tokenExpiresAt, open.nextPingAt, slowConsumerAt ?? .distantFuture)
        case .closing(let dropAt): return dropAt
        case .closed: return nil
        }
    }

    // MARK: Connection

    /// The connection is in place: refused when the node is shutting down or the page's origin is not allowed,
    /// else the hello deadline is armed.
    mutating func connectionOpened(accepted: Bool, originAllowed: Bool, now: NIODeadline) -> StartAction {
        guard accepted else { return .close(startClosing(.goingAway, "server shutting down", endingSession: true, now: now)) }
        guard originAllowed else {
            return .close(startClosing(WebSocketErrorCode(CloseCode.originNotAllowed), "origin not allowed", endingSession: true, now: now))
        }
        guard case .awaitingHello(let deadline) = phase else { return .none }
        return .armTimer(at: deadline)
    }

    /// The connection is gone; nothing more happens.
    mutating func connectionClosed() {
        phase = .closed
    }

    /// Starts the close handshake (a protocol error, shutdown, a session taken over…). Nil when already closing.
    mutating func close(_ code: WebSocketErrorCode, reason: String, endingSession: Bool, now: NIODeadline) -> Close? {
        switch phase {
        case .closing, .closed: nil
        case .awaitingHello, .authenticating, .open: startClosing(code, reason, endingSession: endingSession, now: now)
        }
    }

    /// A frame the WebSocket layer refused. Nil when already closing.
    mutating func frameRefused(_ error: FrameError, now: NIODeadline) -> Close? {
        let (code, reason): (WebSocketErrorCode, String) =
            switch error {
            case .frameTooLarge: (.messageTooLarge, "frame larger than \(limits.maxFrameSize) bytes")
            case .messageTooLarge: (.messageTooLarge, "message larger than \(limits.maxMessageSize) bytes")
            case .tooManyFragments: (.messageTooLarge, "more than \(limits.maxFragmentsPerMessage) fragments")
            case .reservedBits: (.protocolError, "reserved bits set without an extension")
            case .unexpectedFrame: (.protocolError, "unexpected frame")
            case .malformed: (.protocolError, "WebSocket protocol error")
            }
        return close(code, reason: reason, endingSession: false, now: now)
    }

    /// The peer's close frame (`code` nil: malformed). Answered with its own code (RFC 6455 §5.5.1);
    /// 1000 means the client is done with its session.
    mutating func closeFrameReceived(code: WebSocketErrorCode?, now: NIODeadline) -> PeerCloseAction {
        switch phase {
        case .closing, .closed:
            return .drop
        case .awaitingHello, .authenticating, .open:
            let code = code ?? .protocolError
            var close = startClosing(code, "", endingSession: code == .normalClosure, now: now)
            close.dropOnceWritten = true
            return .answer(close)
        }
    }

    // MARK: Messages

    /// A text message from the client.
    mutating func textReceived(_ text: ByteBuffer, now: NIODeadline) -> MessageAction {
        switch phase {
        case .closing, .closed:
            return .none
        case .awaitingHello:
            return helloReceived(text, now: now)
        case .authenticating(let resume, var early):
            guard early.count < limits.maxEarlyMessages else {
                return .close(startClosing(
                    WebSocketErrorCode(CloseCode.protocolViolation), "too many messages before welcome", endingSession: true, now: now))
            }
            phase = .closed  // `early` is now the buffer's only owner: appending does not copy it
            early.append(text)
            phase = .authenticating(resume: resume, early: early)
            return .none
        case .open(var open):
            if let refusal = admit(&open, now: now) { return refusal }
            open.lastMessageAt = now
            phase = .open(open)
            let message: ClientMessage
            do throws(ClientMessageError) {
                message = try ClientMessage.decode(text.readableBytesView)
            } catch {
                return .answer(.error(id: error.requestID, code: .badRequest, message: error.message))
            }
            if case .hello = message {
                return .answer(.error(id: nil, code: .badRequest, message: "this session already said hello"))
            }
            return .deliver(message)
        }
    }

    /// A binary frame: not part of the protocol.
    mutating func binaryReceived(now: NIODeadline) -> MessageAction {
        switch phase {
        case .closing, .closed:
            return .none
        case .awaitingHello, .authenticating:
            return .close(startClosing(
                WebSocketErrorCode(CloseCode.protocolViolation), "the first message must be a hello", endingSession: true, now: now))
        case .open(var open):
            if let refusal = admit(&open, now: now) { return refusal }
            phase = .open(open)
            return .refuse(.error(id: nil, code: .badRequest, message: "binary frames are not part of the protocol; send JSON text"))
        }
    }

    /// A ping from the client: answered with a pong (which the caller counts against the send queue) unless
    /// the connection is closing.
    func pingReceived() -> Bool { watchesSendQueue }

    mutating func pongReceived() {
        guard case .open(var open) = phase else { return }
        open.awaitingPong = false
        phase = .open(open)
    }

    /// The first message: a `hello` starts the token's verification; anything else closes (4401 for a hello
    /// without a usable token, else 4400).
    private mutating func helloReceived(_ text: ByteBuffer, now: NIODeadline) -> MessageAction {
        let message: ClientMessage
        do throws(ClientMessageError) {
            message = try ClientMessage.decode(text.readableBytesView)
        } catch {
            let isHello = (try? JSONValue.parse(text.readableBytesView))?["type"]?.stringValue == "hello"
            let code = isHello ? CloseCode.unauthorized : CloseCode.protocolViolation
            return .close(startClosing(WebSocketErrorCode(code), error.message, endingSession: true, now: now))
        }
        guard case .hello(let token, let resume) = message else {
            return .close(startClosing(
                WebSocketErrorCode(CloseCode.protocolViolation), "the first message must be a hello", endingSession: true, now: now))
        }
        phase = .authenticating(resume: resume, early: [])
        return .verifyToken(token, armTimerAt: nextDeadline)
    }

    /// The inbound rate limit. Nil when the message is admitted; else `rate_limited`, or a close with 1008
    /// after `rateLimitStrikes` refusals in a row. Leaves `phase` to the caller when admitted.
    private mutating func admit(_ open: inout Open, now: NIODeadline) -> MessageAction? {
        if open.limiter.admit(now: now, rate: limits.rate) { return nil }
        if open.limiter.strikes >= limits.rateLimitStrikes {
            return .close(startClosing(.policyViolation, "message rate limit exceeded repeatedly", endingSession: false, now: now))
        }
        phase = .open(open)
        return .refuse(.error(
            id: nil, code: .rateLimited, message: "more than \(limits.messagesPerSecond) messages per second; this one was dropped"))
    }

    // MARK: Authentication

    /// The hello's token was verified (or not). `wallClock` is the wall-clock time now: the token's expiry,
    /// a wall-clock date, becomes an event-loop deadline here, once.
    mutating func tokenVerified(_ result: Result<Principal, TokenError>, wallClock: Date, now: NIODeadline) -> AuthenticatedAction {
        guard case .authenticating(let resume, let early) = phase else { return .none }
        let principal: Principal
        switch result {
        case .failure(let error):
            return .close(startClosing(WebSocketErrorCode(CloseCode.unauthorized), error.description, endingSession: true, now: now))
        case .success(let verified):
            principal = verified
        }
        let lifetime = principal.expiresAt.timeIntervalSince(wallClock)
        guard lifetime > 0 else {
            return .close(startClosing(
                WebSocketErrorCode(CloseCode.unauthorized), TokenError.expired.description, endingSession: true, now: now))
        }
        // Clamped to a century so that a far-future expiry cannot overflow the nanoseconds.
        let open = Open(
            tokenExpiresAt: now + .nanoseconds(Int64(min(lifetime, 3.2e9) * 1e9)), nextPingAt: now + limits.heartbeatInterval,
            lastMessageAt: now, limiter: InboundRateLimiter(limits.rate, now: now))
        phase = .open(open)
        return .open(principal, resume: resume, early: early, armTimerAt: nextDeadline ?? open.nextPingAt)
    }

    // MARK: Timer and send queue

    /// The connection's timer fired: whatever deadline has passed takes effect.
    mutating func timerFired(now: NIODeadline) -> TimerAction {
        if let slowConsumerAt = sendQueue.slowConsumerAt, now >= slowConsumerAt, let close = slowConsumer(now: now) {
            return .close(close)
        }
        switch phase {
        case .closed:
            return .none
        case .authenticating:
            return nextDeadline.map { .armTimer(at: $0) } ?? .none
        case .awaitingHello(let deadline):
            guard now >= deadline else { return .armTimer(at: nextDeadline ?? deadline) }
            return .close(startClosing(WebSocketErrorCode(CloseCode.timedOut), "no hello in time", endingSession: true, now: now))
        case .closing(let dropAt):
            return now >= dropAt ? .drop : .armTimer(at: dropAt)
        case .open(var open):
            if now >= open.tokenExpiresAt {
                return .close(startClosing(
                    WebSocketErrorCode(CloseCode.unauthorized), TokenError.expired.description, endingSession: false, now: now))
            }
            guard now >= open.nextPingAt else { return .armTimer(at: nextDeadline ?? open.nextPingAt) }
            if open.awaitingPong {
                return .close(startClosing(WebSocketErrorCode(CloseCode.timedOut), "no pong to the last ping", endingSession: false, now: now))
            }
            if let idle = limits.idleTimeout, now - open.lastMessageAt >= idle {
                return .close(startClosing(WebSocketErrorCode(CloseCode.timedOut), "idle for too long", endingSession: false, now: now))
            }
            open.awaitingPong = true
            open.nextPingAt = now + limits.heartbeatInterval
            phase = .open(open)
            return .ping(armTimerAt: nextDeadline ?? open.nextPingAt)
        }
    }

    /// Whether the send queue is watched: from the upgrade until the close starts, with a session or not.
    private var watchesSendQueue: Bool {
        switch phase {
        case .awaitingHello, .authenticating, .open: true
        case .closing, .closed: false
        }
    }

    /// The send queue went over its bound (`isWritable` false) or back under it. Returns when to arm the
    /// timer, when the slow-consumer deadline is the next one.
    mutating func writabilityChanged(isWritable: Bool, now: NIODeadline) -> NIODeadline? {
        guard watchesSendQueue else { return nil }
        if isWritable {
            sendQueue = SendQueue()
            return nil  // the timer may fire early now; it then re-arms
        }
        guard sendQueue.slowConsumerAt == nil else { return nil }
        sendQueue.slowConsumerAt = now + limits.slowConsumerGrace
        return nextDeadline
    }

    /// `bytes` more were queued while the send queue is over its bound: too many close at once (4429).
    mutating func queuedWhileUnwritable(bytes: Int, now: NIODeadline) -> Close? {
        guard watchesSendQueue else { return nil }
        sendQueue.bytesWhileUnwritable += bytes
        guard sendQueue.bytesWhileUnwritable > limits.sendQueueHardLimit else { return nil }
        return slowConsumer(now: now)
    }

    /// Closes with 4429; a connection without a session yet has none to keep. Nil when already closing.
    private mutating func slowConsumer(now: NIODeadline) -> Close? {
        guard watchesSendQueue else { return nil }
        return startClosing(WebSocketErrorCode(CloseCode.slowConsumer), "client reads too slowly", endingSession: !isOpen, now: now)
    }

    private mutating func startClosing(_ code: WebSocketErrorCode, _ reason: String, endingSession: Bool, now: NIODeadline) -> Close {
        let dropAt = now + limits.closeTimeout
        phase = .closing(dropAt: dropAt)
        sendQueue = SendQueue()
        return Close(code: code, reason: reason, endingSession: endingSession, dropAt: dropAt)
    }
}
