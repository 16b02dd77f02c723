@testable import ConnectionManager
import NIOCore
import NIOWebSocket
import Testing
import WSECore

/// The send queue's bound holds for everything the node writes, also before `hello`: pongs count, and a
/// client that does not read is closed with 4429 whether or not it has a session (on a test event loop).
@Suite(.timeLimit(.minutes(1))) struct SendQueueTests {
    private static let millisecond = TimeAmount.milliseconds(1)
    private static let ping = ByteBuffer(repeating: 0x70, count: 125)  // the largest control frame payload

    /// Sends pings until the node closes; returns the pongs it answered and the close code.
    private func pingUntilClosed(_ connection: TestConnection, pings: Int) async throws -> (pongs: Int, close: UInt16?) {
        for _ in 0..<pings { try await connection.send(.ping, Self.ping) }
        var pongs = 0
        while let frame = try await connection.written() {
            if frame.opcode == .pong { pongs += 1 } else { return (pongs, TestConnection.closeCode(of: frame)) }
        }
        return (pongs, nil)
    }

    @Test func pongsToAClientWithoutSessionCountAgainstTheSendQueue() async throws {
        let node = TestNode {
            $0.helloTimeout = .seconds(60)
            $0.sendQueueHardLimit = 1000
        }
        let connection = try await node.connect()
        try await connection.setWritable(false)
        // The ninth pong takes the queue past 1000 bytes over its bound.
        let (pongs, close) = try await pingUntilClosed(connection, pings: 50)
        #expect(pongs == 9)
        #expect(close == 4429)
    }

    @Test func pongsToASessionCountAgainstTheSendQueue() async throws {
        let node = TestNode { $0.sendQueueHardLimit = 1000 }
        let (connection, session) = try await node.session("alice")
        try await connection.setWritable(false)
        let (pongs, close) = try await pingUntilClosed(connection, pings: 50)
        #expect(pongs == 9)
        #expect(close == 4429)
        #expect(node.manager.session(withID: session)?.isAttached == false, "the session waits for a resume")
    }

    @Test func aClientThatDoesNotReadBeforeHelloIsClosed4429AfterTheGrace() async throws {
        let node = TestNode {
            $0.helloTimeout = .seconds(60)
            $0.slowConsumerGrace = .seconds(10)
        }
        let connection = try await node.connect()
        await connection.advance(by: .seconds(2))
        try await connection.setWritable(false)
        await connection.advance(by: .seconds(10) - Self.millisecond)
        #expect(try await connection.isQuiet())
        await connection.advance(by: Self.millisecond)
        #expect(TestConnection.closeCode(of: try await connection.written()) == 4429)
        #expect(node.manager.sessionCount == 0)
    }

    @Test func pingsAreNotAnsweredOnceTheConnectionIsClosing() async throws {
        let node = TestNode()
        let connection = try await node.connect()
        await connection.advance(by: .seconds(10))
        #expect(TestConnection.closeCode(of: try await connection.written()) == 4408)
        try await connection.send(.ping, Self.ping)
        #expect(try await connection.isQuiet())
    }
}
