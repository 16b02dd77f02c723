@testable import ConnectionManager
import Foundation
import NIOCore
import NIOEmbedded
import Testing
import WSECore

/// Resuming a session: what the client finds when it comes back, and the races around a takeover.
@Suite(.timeLimit(.minutes(1))) struct ResumeTests {
    /// The old connection's client may close with 1000 just after another connection took its session over
    /// (its close frame crosses our 1000 "resumed on another connection"). That close must not end the
    /// session that now lives on the new connection.
    @Test func theOldConnectionsNormalCloseAfterATakeoverDoesNotEndTheSession() async throws {
        let node = TestNode()
        let loop = NIOAsyncTestingEventLoop()
        let principal = Principal(user: "alice", roles: ["subscriber"], expiresAt: TestNode.wallClock.addingTimeInterval(3600))
        let (old, new) = try await loop.executeInContext { (Self.link(node, loop), Self.link(node, loop)) }
        let (session, _) = try #require(node.manager.openSession(for: principal, resume: nil, on: old))
        let (resumed, replaced) = try #require(node.manager.openSession(
            for: principal, resume: ClientMessage.ResumePoint(session: session.id, lastSeq: 0), on: new))
        #expect(resumed === session)
        #expect(replaced?.id == old.id)

        // The old connection's handler saw its client's 1000 only now.
        node.manager.release(session, from: old, ending: true, eventLoop: loop)
        #expect(node.manager.session(withID: session.id) === session)
        #expect(session.isAttached)
        #expect(await node.manager.send(OutboundEvent(service: "s", pid: nil, data: 1), toSession: session.id) == .kept)
        #expect(node.requests.endedSessions.isEmpty)

        // The new connection's own 1000 still ends it.
        node.manager.release(session, from: new, ending: true, eventLoop: loop)
        #expect(node.manager.session(withID: session.id) == nil)
    }

    /// Everything the mediator sends while the client is away waits for the resume, in the order it was sent:
    /// responses, errors and `end`s as well as events (only events carry `seq`).
    @Test func everyMessageSentWhileAwayIsReplayedOnResumeInOrder() async throws {
        let node = TestNode()
        let (connection, session) = try await node.session("alice")
        try await connection.channel.close()
        let output = node.manager
        #expect(await output.send(.response(id: "r1", pid: "p1", data: ["ok": true]), toSession: session))
        #expect(await output.send(OutboundEvent(service: "s", pid: "p1", data: 1), toSession: session) == .kept)
        #expect(await output.send(.error(id: "r2", code: .forbidden, message: "no"), toSession: session))
        #expect(await output.send(.end(pid: "p1", reason: .done), toSession: session))

        let again = try await node.connect()
        #expect(try await again.hello(token: "user:alice", resume: (session, 0))["resumed"] == true)
        // Written with the welcome, in the same turn of the loop.
        #expect(try await again.writtenMessage() == ["type": "response", "id": "r1", "pid": "p1", "data": ["ok": true]])
        #expect(try await again.writtenMessage()["seq"] == 1)
        #expect(try await again.writtenMessage()["id"] == "r2")
        #expect(try await again.writtenMessage()["type"] == "end")
        #expect(try await again.isQuiet())
    }

    /// A link to a handler that is in no pipeline: what is delivered to it goes nowhere.
    private static func link(_ node: TestNode, _ loop: NIOAsyncTestingEventLoop) -> ConnectionLink {
        ConnectionLink(SessionChannelHandler(manager: node.manager, origin: .allowed(retailer: nil), now: loop.now), eventLoop: loop)
    }
}
