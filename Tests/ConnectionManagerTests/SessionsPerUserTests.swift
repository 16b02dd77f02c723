@testable import ConnectionManager
import NIOCore
import Testing
import WSECore

/// `maxSessionsPerUser`: one user cannot hold more sessions than that; a session waiting for its resume makes
/// room for a new one, an attached one never does.
@Suite(.timeLimit(.minutes(1))) struct SessionsPerUserTests {
    @Test func aHelloOverTheLimitIsClosedWith4409WhileEverySessionIsAttached() async throws {
        let node = TestNode { $0.maxSessionsPerUser = 2 }
        let (first, firstSession) = try await node.session("alice")
        let (second, secondSession) = try await node.session("alice")

        let third = try await node.connect()
        try await third.send(["type": "hello", "token": "user:alice"])
        let close = try await third.next()
        #expect(TestConnection.closeCode(of: close) == CloseCode.tooManySessions.rawValue)
        #expect(String(buffer: close.unmaskedData).hasSuffix("too many sessions for this user"))

        #expect(node.manager.sessionCount == 2)
        #expect(node.manager.session(withID: firstSession)?.isAttached == true)
        #expect(node.manager.session(withID: secondSession)?.isAttached == true)
        #expect(try await first.isQuiet(), "the attached sessions are not disturbed")
        #expect(try await second.isQuiet())
        // The limit is per user.
        _ = try await node.session("bob")
        #expect(node.manager.sessionCount == 3)
    }

    @Test func theOldestSessionWaitingForAResumeEndsToMakeRoom() async throws {
        let node = TestNode { $0.maxSessionsPerUser = 2 }
        let (first, firstSession) = try await node.session("alice")
        let (second, secondSession) = try await node.session("alice")
        try await first.channel.close()
        try await second.channel.close()
        #expect(node.manager.session(withID: firstSession)?.isAttached == false)

        let (_, thirdSession) = try await node.session("alice")
        #expect(node.manager.session(withID: firstSession) == nil, "the oldest waiting session ended")
        #expect(node.manager.session(withID: secondSession) != nil, "the younger one still waits for its client")
        #expect(node.manager.session(withID: thirdSession)?.isAttached == true)
        #expect(node.manager.sessions(ofUser: "alice").count == 2)
    }

    /// A resume opens no session: it is admitted at the limit.
    @Test func aResumeAtTheLimitIsAdmitted() async throws {
        let node = TestNode { $0.maxSessionsPerUser = 1 }
        let (first, session) = try await node.session("alice")
        try await first.channel.close()

        let again = try await node.connect()
        let welcome = try await again.hello(token: "user:alice", resume: (session, 0))
        #expect(welcome["resumed"] == true)
        #expect(welcome["session"]?.stringValue == session.rawValue)
        #expect(node.manager.sessionCount == 1)
    }
}
