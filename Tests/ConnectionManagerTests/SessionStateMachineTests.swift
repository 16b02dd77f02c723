@testable import ConnectionManager
import Foundation
import NIOCore
import NIOWebSocket
import Testing
import WSECore

/// The session protocol without I/O: every transition of `SessionStateMachine`, at exact times.
@Suite struct SessionStateMachineTests {
    typealias Machine = SessionStateMachine
    private static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    private static let wallClock = Date(timeIntervalSince1970: 1_800_000_000)

    private static func limits(_ change: (inout ConnectionManagerConfiguration) -> Void = { _ in }) -> SessionLimits {
        var configuration = ConnectionManagerConfiguration()
        change(&configuration)
        return SessionLimits(configuration)
    }

    private static func text(_ string: String) -> ByteBuffer { ByteBuffer(string: string) }

    private static func close(
        _ code: UInt16, _ reason: String, ending: Bool, at now: NIODeadline, _ limits: SessionLimits
    ) -> Machine.Close {
        Machine.Close(code: WebSocketErrorCode(codeNumber: Int(code)), reason: reason, endingSession: ending, dropAt: now + limits.closeTimeout)
    }

    private static func principal(lifetime: TimeInterval = 3600) -> Principal {
        Principal(user: "alice", roles: ["subscriber"], expiresAt: wallClock.addingTimeInterval(lifetime))
    }

    /// A machine whose session opened at `start` (hello at `start`, token valid for `lifetime` seconds).
    private static func opened(_ limits: SessionLimits, lifetime: TimeInterval = 3600) -> Machine {
        var machine = Machine(limits: limits, now: start)
        _ = machine.connectionOpened(accepted: true, originAllowed: true, now: start)
        _ = machine.textReceived(text(#"{"type":"hello","token":"t"}"#), now: start)
        _ = machine.tokenVerified(.success(principal(lifetime: lifetime)), wallClock: wallClock, now: start)
        return machine
    }

    // MARK: Before welcome

    @Test func aNewConnectionArmsTheHelloDeadlineOrIsRefused() {
        let limits = Self.limits()
        var machine = Machine(limits: limits, now: Self.start)
        #expect(machine.connectionOpened(accepted: true, originAllowed: true, now: Self.start) == .armTimer(at: Self.start + .seconds(10)))

        var shuttingDown = Machine(limits: limits, now: Self.start)
        #expect(shuttingDown.connectionOpened(accepted: false, originAllowed: true, now: Self.start)
            == .close(Self.close(1001, "server shutting down", ending: true, at: Self.start, limits)))

        var foreign = Machine(limits: limits, now: Self.start)
        #expect(foreign.connectionOpened(accepted: true, originAllowed: false, now: Self.start)
            == .close(Self.close(4403, "origin not allowed", ending: true, at: Self.start, limits)))
    }

    @Test func noHelloByTheDeadlineCloses4408AndTheConnectionDropsAfterTheCloseTimeout() {
        let limits = Self.limits()
        var machine = Machine(limits: limits, now: Self.start)
        let deadline = Self.start + .seconds(10)
        // A timer that fires early is re-armed at the deadline.
        #expect(machine.timerFired(now: deadline - .nanoseconds(1)) == .armTimer(at: deadline))
        #expect(machine.timerFired(now: deadline) == .close(Self.close(4408, "no hello in time", ending: true, at: deadline, limits)))
        #expect(machine.textReceived(Self.text(#"{"type":"hello","token":"t"}"#), now: deadline) == .none)
        let dropAt = deadline + .seconds(5)
        #expect(machine.timerFired(now: dropAt - .nanoseconds(1)) == .armTimer(at: dropAt))
        #expect(machine.timerFired(now: dropAt) == .drop)
        #expect(machine.closeFrameReceived(code: .normalClosure, now: dropAt) == .drop)
    }

    @Test(arguments: [
        ("{", 4400),
        ("[1]", 4400),
        (#"{"type":"request","id":"1","service":"s","action":"a"}"#, 4400),
        (#"{"type":"hello"}"#, 4401),
        (#"{"type":"hello","token":""}"#, 4401),
    ])
    func aFirstMessageThatIsNotAUsableHelloCloses(first: String, code: Int) {
        var machine = Machine(limits: Self.limits(), now: Self.start)
        guard case .close(let close) = machine.textReceived(Self.text(first), now: Self.start) else {
            Issue.record("expected a close")
            return
        }
        #expect(close.code == WebSocketErrorCode(codeNumber: code))
        #expect(close.endingSession)
        #expect(!machine.isOpen)
    }

    @Test func aBinaryFirstMessageCloses4400() {
        let limits = Self.limits()
        var machine = Machine(limits: limits, now: Self.start)
        #expect(machine.binaryReceived(now: Self.start)
            == .close(Self.close(4400, "the first message must be a hello", ending: true, at: Self.start, limits)))
    }

    @Test func messagesBeforeWelcomeWaitAndAreHandedOverInOrderUpToSixteen() {
        let limits = Self.limits()
        var machine = Machine(limits: limits, now: Self.start)
        let resume = ClientMessage.ResumePoint(session: "s1", lastSeq: 4)
        #expect(machine.textReceived(Self.text(#"{"type":"hello","token":"t","resume":{"session":"s1","lastSeq":4}}"#), now: Self.start)
            == .verifyToken("t", armTimerAt: nil))
        // No timer while the token is verified.
        #expect(machine.timerFired(now: Self.start + .seconds(60)) == .none)
        let early = (1...16).map { Self.text(#"{"type":"ack","seq":\#($0)}"#) }
        for text in early { #expect(machine.textReceived(text, now: Self.start) == .none) }
        #expect(machine.tokenVerified(.success(Self.principal()), wallClock: Self.wallClock, now: Self.start)
            == .open(Self.principal(), resume: resume, early: early, armTimerAt: Self.start + .seconds(30)))
        #expect(machine.isOpen)

        var flooding = Machine(limits: limits, now: Self.start)
        _ = flooding.textReceived(Self.text(#"{"type":"hello","token":"t"}"#), now: Self.start)
        for text in early { _ = flooding.textReceived(text, now: Self.start) }
        #expect(flooding.textReceived(Self.text("{}"), now: Self.start)
            == .close(Self.close(4400, "too many messages before welcome", ending: true, at: Self.start, limits)))
        // The verification that comes back afterwards opens nothing.
        #expect(flooding.tokenVerified(.success(Self.principal()), wallClock: Self.wallClock, now: Self.start) == .none)
    }

    @Test func aBinaryFrameBeforeWelcomeCloses4400() {
        var machine = Machine(limits: Self.limits(), now: Self.start)
        _ = machine.textReceived(Self.text(#"{"type":"hello","token":"t"}"#), now: Self.start)
        guard case .close(let close) = machine.binaryReceived(now: Self.start) else {
            Issue.record("expected a close")
            return
        }
        #expect(close.code == WebSocketErrorCode(CloseCode.protocolViolation))
    }

    @Test func aRefusedOrAlreadyExpiredTokenCloses4401() {
        let limits = Self.limits()
        var refused = Machine(limits: limits, now: Self.start)
        _ = refused.textReceived(Self.text(#"{"type":"hello","token":"t"}"#), now: Self.start)
        #expect(refused.tokenVerified(.failure(.badSignature), wallClock: Self.wallClock, now: Self.start)
            == .close(Self.close(4401, TokenError.badSignature.description, ending: true, at: Self.start, limits)))

        var expired = Machine(limits: limits, now: Self.start)
        _ = expired.textReceived(Self.text(#"{"type":"hello","token":"t"}"#), now: Self.start)
        #expect(expired.tokenVerified(.success(Self.principal(lifetime: 0)), wallClock: Self.wallClock, now: Self.start)
            == .close(Self.close(4401, TokenError.expired.description, ending: true, at: Self.start, limits)))
    }

    // MARK: Open session

    @Test func sessionMessagesAreDeliveredOrAnsweredWithBadRequest() {
        var machine = Self.opened(Self.limits())
        let request = ClientRequest(id: "r1", service: "echo", action: "say", data: ["x": 1])
        #expect(machine.textReceived(Self.text(#"{"type":"request","id":"r1","service":"echo","action":"say","data":{"x":1}}"#), now: Self.start)
            == .deliver(.request(request)))
        #expect(machine.textReceived(Self.text(#"{"type":"ack","seq":3}"#), now: Self.start) == .deliver(.ack(seq: 3)))
        #expect(machine.textReceived(Self.text(#"{"type":"cancel","pid":"p"}"#), now: Self.start) == .deliver(.cancel(pid: "p")))
        #expect(machine.textReceived(Self.text(#"{"type":"hello","token":"t"}"#), now: Self.start)
            == .answer(.error(id: nil, code: .badRequest, message: "this session already said hello")))
        guard case .answer(.error(let id, let code, _)) = machine.textReceived(Self.text("{"), now: Self.start) else {
            Issue.record("expected bad_request")
            return
        }
        #expect(id == nil)
        #expect(code == .badRequest)
        #expect(machine.binaryReceived(now: Self.start)
            == .refuse(.error(id: nil, code: .badRequest, message: "binary frames are not part of the protocol; send JSON text")))
        #expect(machine.isOpen)
    }

    @Test func theRateLimitRefusesThenCloses1008AfterStrikesInARowAndRefillsOverTime() {
        let limits = Self.limits {
            $0.messagesPerSecond = 1
            $0.messageBurst = 2
            $0.rateLimitStrikes = 3
        }
        var machine = Self.opened(limits)
        let ack = Self.text(#"{"type":"ack","seq":0}"#)
        let refused = Machine.MessageAction.refuse(.error(
            id: nil, code: .rateLimited, message: "more than 1.0 messages per second; this one was dropped"))
        #expect(machine.textReceived(ack, now: Self.start) == .deliver(.ack(seq: 0)))
        #expect(machine.textReceived(ack, now: Self.start) == .deliver(.ack(seq: 0)))
        #expect(machine.textReceived(ack, now: Self.start) == refused)
        // One message per second refills: not a millisecond early; a passing message clears the strikes.
        let later = Self.start + .seconds(1)
        #expect(machine.binaryReceived(now: later - .milliseconds(1)) == refused)
        #expect(machine.textReceived(ack, now: later) == .deliver(.ack(seq: 0)))
        #expect(machine.textReceived(ack, now: later) == refused)
        #expect(machine.textReceived(ack, now: later) == refused)
        #expect(machine.textReceived(ack, now: later)
            == .close(Self.close(1008, "message rate limit exceeded repeatedly", ending: false, at: later, limits)))
        #expect(machine.textReceived(ack, now: later) == .none)
    }

    @Test func heartbeatPingsEachIntervalAndCloses4408WithoutAPong() {
        let limits = Self.limits()
        var machine = Self.opened(limits)
        let beat = TimeAmount.seconds(30)
        #expect(machine.timerFired(now: Self.start + beat - .nanoseconds(1)) == .armTimer(at: Self.start + beat))
        #expect(machine.timerFired(now: Self.start + beat) == .ping(armTimerAt: Self.start + beat * 2))
        machine.pongReceived()
        #expect(machine.timerFired(now: Self.start + beat * 2) == .ping(armTimerAt: Self.start + beat * 3))
        #expect(machine.timerFired(now: Self.start + beat * 3)
            == .close(Self.close(4408, "no pong to the last ping", ending: false, at: Self.start + beat * 3, limits)))
    }

    @Test func anIdleSessionCloses4408AtTheFirstHeartbeatPastTheIdleTimeout() {
        let limits = Self.limits {
            $0.heartbeatInterval = .seconds(10)
            $0.idleTimeout = .seconds(60)
        }
        var machine = Self.opened(limits)
        // A message at 25 s restarts the idle time; pongs do not.
        for tick in 1...8 {
            let now = Self.start + .seconds(Int64(tick * 10))
            #expect(machine.timerFired(now: now) == .ping(armTimerAt: now + .seconds(10)))
            machine.pongReceived()
            if tick == 2 { #expect(machine.textReceived(Self.text(#"{"type":"ack","seq":0}"#), now: now + .seconds(5)) == .deliver(.ack(seq: 0))) }
        }
        let closesAt = Self.start + .seconds(90)
        #expect(machine.timerFired(now: closesAt) == .close(Self.close(4408, "idle for too long", ending: false, at: closesAt, limits)))
    }

    @Test func anExpiringTokenCloses4401AtItsExpiryWithoutEndingTheSession() {
        let limits = Self.limits()
        var machine = Self.opened(limits, lifetime: 45)
        let beat = Self.start + .seconds(30)
        #expect(machine.timerFired(now: beat) == .ping(armTimerAt: Self.start + .seconds(45)))
        machine.pongReceived()
        let expiry = Self.start + .seconds(45)
        #expect(machine.timerFired(now: expiry - .nanoseconds(1)) == .armTimer(at: expiry))
        #expect(machine.timerFired(now: expiry) == .close(Self.close(4401, TokenError.expired.description, ending: false, at: expiry, limits)))
    }

    @Test func aSlowConsumerCloses4429AfterTheGraceOrBeyondTheHardLimit() {
        let limits = Self.limits {
            $0.slowConsumerGrace = .seconds(10)
            $0.sendQueueHardLimit = 1000
        }
        var machine = Self.opened(limits)
        let over = Self.start + .seconds(3)
        #expect(machine.writabilityChanged(isWritable: false, now: over) == over + .seconds(10))
        #expect(machine.writabilityChanged(isWritable: false, now: over + .seconds(1)) == nil)  // still the first deadline
        #expect(machine.queuedWhileUnwritable(bytes: 1000, now: over) == nil)
        #expect(machine.timerFired(now: over + .seconds(10) - .nanoseconds(1)) == .armTimer(at: over + .seconds(10)))
        #expect(machine.timerFired(now: over + .seconds(10))
            == .close(Self.close(4429, "client reads too slowly", ending: false, at: over + .seconds(10), limits)))

        var recovering = Self.opened(limits)
        _ = recovering.writabilityChanged(isWritable: false, now: over)
        #expect(recovering.queuedWhileUnwritable(bytes: 900, now: over) == nil)
        #expect(recovering.writabilityChanged(isWritable: true, now: over + .seconds(1)) == nil)
        // Back under the bound: the grace and the byte count start over; the early timer re-arms for the ping.
        #expect(recovering.timerFired(now: over + .seconds(10)) == .armTimer(at: Self.start + .seconds(30)))
        _ = recovering.writabilityChanged(isWritable: false, now: over + .seconds(11))
        #expect(recovering.queuedWhileUnwritable(bytes: 1000, now: over + .seconds(11)) == nil)
        #expect(recovering.queuedWhileUnwritable(bytes: 1, now: over + .seconds(11))
            == Self.close(4429, "client reads too slowly", ending: false, at: over + .seconds(11), limits))
    }

    /// Before `hello` and while its token is verified, the send queue has the same bound (pongs fill it):
    /// a client that does not read is closed with 4429, and has no session to keep.
    @Test func aSlowConsumerWithoutSessionCloses4429() {
        let limits = Self.limits {
            $0.slowConsumerGrace = .seconds(3)
            $0.sendQueueHardLimit = 1000
        }
        var waiting = Machine(limits: limits, now: Self.start)
        #expect(waiting.pingReceived())
        #expect(waiting.writabilityChanged(isWritable: false, now: Self.start) == Self.start + .seconds(3))
        #expect(waiting.timerFired(now: Self.start + .seconds(3))
            == .close(Self.close(4429, "client reads too slowly", ending: true, at: Self.start + .seconds(3), limits)))
        #expect(!waiting.pingReceived(), "no pongs once closing")
        #expect(waiting.queuedWhileUnwritable(bytes: 5000, now: Self.start + .seconds(3)) == nil)

        var verifying = Machine(limits: limits, now: Self.start)
        _ = verifying.writabilityChanged(isWritable: false, now: Self.start)
        // The hello deadline no longer applies, the slow-consumer one still does.
        #expect(verifying.textReceived(Self.text(#"{"type":"hello","token":"t"}"#), now: Self.start + .seconds(1))
            == .verifyToken("t", armTimerAt: Self.start + .seconds(3)))
        #expect(verifying.queuedWhileUnwritable(bytes: 1000, now: Self.start + .seconds(1)) == nil)
        #expect(verifying.queuedWhileUnwritable(bytes: 125, now: Self.start + .seconds(1))
            == Self.close(4429, "client reads too slowly", ending: true, at: Self.start + .seconds(1), limits))
    }

    @Test func refusedFramesClose1009Or1002() {
        let limits = Self.limits()
        let cases: [(Machine.FrameError, UInt16, String)] = [
            (.frameTooLarge, 1009, "frame larger than 65536 bytes"),
            (.messageTooLarge, 1009, "message larger than 262144 bytes"),
            (.tooManyFragments, 1009, "more than 256 fragments"),
            (.reservedBits, 1002, "reserved bits set without an extension"),
            (.unexpectedFrame, 1002, "unexpected frame"),
            (.malformed, 1002, "WebSocket protocol error"),
        ]
        for (error, code, reason) in cases {
            var machine = Self.opened(limits)
            #expect(machine.frameRefused(error, now: Self.start) == Self.close(code, reason, ending: false, at: Self.start, limits))
            #expect(machine.frameRefused(error, now: Self.start) == nil)
        }
    }

    @Test func thePeersCloseIsAnsweredWithItsCodeAndOnly1000EndsTheSession() {
        let limits = Self.limits()
        var done = Self.opened(limits)
        var expected = Self.close(1000, "", ending: true, at: Self.start, limits)
        expected.dropOnceWritten = true
        #expect(done.closeFrameReceived(code: .normalClosure, now: Self.start) == .answer(expected))

        var away = Self.opened(limits)
        expected = Self.close(4000, "", ending: false, at: Self.start, limits)
        expected.dropOnceWritten = true
        #expect(away.closeFrameReceived(code: WebSocketErrorCode(codeNumber: 4000), now: Self.start) == .answer(expected))

        var malformed = Self.opened(limits)
        expected = Self.close(1002, "", ending: false, at: Self.start, limits)
        expected.dropOnceWritten = true
        #expect(malformed.closeFrameReceived(code: nil, now: Self.start) == .answer(expected))
    }

    @Test func aSecondCloseIsIgnoredAndNothingHappensOnceClosed() {
        let limits = Self.limits()
        var machine = Self.opened(limits)
        #expect(machine.close(.goingAway, reason: "bye", endingSession: true, now: Self.start)
            == Self.close(1001, "bye", ending: true, at: Self.start, limits))
        #expect(machine.close(.normalClosure, reason: "again", endingSession: false, now: Self.start) == nil)
        #expect(machine.textReceived(Self.text(#"{"type":"ack","seq":1}"#), now: Self.start) == .none)
        #expect(!machine.isOpen)
        machine.connectionClosed()
        #expect(machine.timerFired(now: Self.start + .seconds(60)) == .none)
        #expect(machine.close(.goingAway, reason: "bye", endingSession: true, now: Self.start) == nil)
        #expect(machine.writabilityChanged(isWritable: false, now: Self.start) == nil)
    }
}
