@testable import ConnectionManager
import NIOCore
import NIOWebSocket
import Testing
import WSECore

/// Every timer of a session, through `SessionChannelHandler` on a test event loop: each deadline is checked
/// to the millisecond (nothing 1 ms before, the close at it) without waiting on the wall clock.
/// (The time limit only turns a frame that never comes into a failure instead of a hang.)
@Suite(.timeLimit(.minutes(1))) struct SessionTimerTests {
    private static let millisecond = TimeAmount.milliseconds(1)

    private func expectClose(_ code: UInt16, at connection: TestConnection, after amount: TimeAmount) async throws {
        await connection.advance(by: amount - Self.millisecond)
        #expect(try await connection.isQuiet(), "nothing before the deadline")
        await connection.advance(by: Self.millisecond)
        #expect(TestConnection.closeCode(of: try await connection.written()) == code)
    }

    @Test func noHelloInTimeCloses4408AndTheConnectionDropsAfterTheCloseTimeout() async throws {
        let node = TestNode()
        let connection = try await node.connect()
        try await expectClose(4408, at: connection, after: .seconds(10))
        await connection.advance(by: .seconds(5) - Self.millisecond)
        #expect(connection.isOpen, "the client has closeTimeout to answer the close frame")
        await connection.advance(by: Self.millisecond)
        #expect(!connection.isOpen)
    }

    @Test func aClientThatAnswersTheCloseIsDroppedAtOnce() async throws {
        let node = TestNode()
        let connection = try await node.connect()
        try await expectClose(4408, at: connection, after: .seconds(10))
        try await connection.send(.connectionClose, ByteBuffer(bytes: [0x11, 0x98]))
        #expect(!connection.isOpen)
    }

    @Test func aPeerThatMissesAPongIsClosed4408AtTheNextHeartbeat() async throws {
        let node = TestNode()
        let (connection, _) = try await node.session("alice")
        await connection.advance(by: .seconds(30) - Self.millisecond)
        #expect(try await connection.isQuiet())
        await connection.advance(by: Self.millisecond)
        #expect(try await connection.written()?.opcode == .ping)
        try await expectClose(4408, at: connection, after: .seconds(30))
    }

    @Test func heartbeatsKeepAnAnsweringPeerOpen() async throws {
        let node = TestNode()
        let (connection, _) = try await node.session("alice")
        for _ in 0..<3 {
            await connection.advance(by: .seconds(30))
            #expect(try await connection.written()?.opcode == .ping)
            try await connection.send(.pong)
        }
        try await connection.send(["type": "request", "id": "alive", "service": "echo", "action": "a"])
        #expect(try await connection.nextMessage()["id"] == "alive")
    }

    @Test func anIdleSessionIsClosed4408AtTheFirstHeartbeatPastTheIdleTimeout() async throws {
        let node = TestNode {
            $0.heartbeatInterval = .seconds(10)
            $0.idleTimeout = .seconds(60)
        }
        let (connection, _) = try await node.session("alice")
        // Pongs are answered, but they are not messages: the session is idle since its hello.
        for _ in 0..<5 {
            await connection.advance(by: .seconds(10))
            #expect(try await connection.written()?.opcode == .ping)
            try await connection.send(.pong)
        }
        try await expectClose(4408, at: connection, after: .seconds(10))
    }

    @Test func aTokenExpiringMidSessionCloses4401AtItsExpiryAndTheSessionCanResume() async throws {
        let node = TestNode()
        let (connection, session) = try await node.session("alice", token: "user:alice:ttl=45")
        await connection.advance(by: .seconds(30))
        #expect(try await connection.written()?.opcode == .ping)
        try await connection.send(.pong)
        try await expectClose(4401, at: connection, after: .seconds(15))

        let again = try await node.connect()
        let welcome = try await again.hello(token: "user:alice", resume: (session, 0))
        #expect(welcome["resumed"] == true)
        #expect(welcome["session"]?.stringValue == session.rawValue)
    }

    @Test func aClientOverTheSendQueueBoundIsClosed4429AfterTheGrace() async throws {
        let node = TestNode { $0.slowConsumerGrace = .seconds(10) }
        let (connection, session) = try await node.session("alice")
        try await connection.setWritable(false)
        try await expectClose(4429, at: connection, after: .seconds(10))
        #expect(node.manager.session(withID: session)?.isAttached == false, "the session waits for a resume")
    }

    @Test func aClientBackUnderTheBoundInTimeStaysOpen() async throws {
        let node = TestNode { $0.slowConsumerGrace = .seconds(10) }
        let (connection, _) = try await node.session("alice")
        try await connection.setWritable(false)
        await connection.advance(by: .seconds(10) - Self.millisecond)
        try await connection.setWritable(true)
        await connection.advance(by: .seconds(20))
        #expect(try await connection.isQuiet())
        await connection.advance(by: Self.millisecond)
        #expect(try await connection.written()?.opcode == .ping, "the heartbeat goes on")
    }

    @Test func aSendQueueGrowingPastTheHardLimitCloses4429AtOnce() async throws {
        let node = TestNode {
            $0.slowConsumerGrace = .seconds(3600)
            $0.sendQueueHardLimit = 20 * 1024
        }
        let (connection, session) = try await node.session("alice")
        try await connection.setWritable(false)
        let chunk = JSONValue.string(String(repeating: "x", count: 8 * 1024))  // the third goes past 20 KiB
        for _ in 0..<3 { await node.manager.send(OutboundEvent(service: "s", pid: nil, data: chunk), toSession: session) }
        for _ in 0..<3 { #expect(try await connection.next().opcode == .text) }
        #expect(TestConnection.closeCode(of: try await connection.next()) == 4429)
    }

    @Test func aDetachedSessionEndsWhenTheResumeWindowPasses() async throws {
        let node = TestNode { $0.resumeWindow = .seconds(60) }
        let (connection, session) = try await node.session("alice")
        try await connection.channel.close()
        #expect(node.manager.session(withID: session)?.isAttached == false)
        await connection.advance(by: .seconds(60) - Self.millisecond)
        #expect(node.manager.sessionCount == 1)
        #expect(await node.manager.send(OutboundEvent(service: "s", pid: nil, data: 1), toSession: session) == .kept, "kept for the resume")
        await connection.advance(by: Self.millisecond)
        #expect(node.manager.sessionCount == 0)
        #expect(await node.manager.send(OutboundEvent(service: "s", pid: nil, data: 1), toSession: session) == .sessionGone)
    }

    @Test func messagesSentBeforeWelcomeAreHandledAfterIt() async throws {
        let node = TestNode()
        let connection = try await node.connect()
        try await connection.send(["type": "hello", "token": "user:alice"])
        try await connection.send(["type": "request", "id": "early", "service": "echo", "action": "a"])
        #expect(try await connection.nextMessage()["type"] == "welcome")
        #expect(try await connection.nextMessage()["id"] == "early")
    }
}

extension TestConnection {
    /// Puts the send queue over (false) or back under (true) its bound, as NIO reports it.
    func setWritable(_ writable: Bool) async throws {
        let channel = self.channel
        try await loop.executeInContext {
            channel.isWritable = writable
            channel.pipeline.fireChannelWritabilityChanged()
        }
    }
}
