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
        let (session, _) = node.manager.openSession(for: principal, resume: nil, on: old)
        let (resumed, replaced) = node.manager.openSession(
            for: principal, resume: ClientMessage.ResumePoint(session: session.id, lastSeq: 0), on: new)
        #expect(resumed === session)
        #expect(replaced?.id == old.id)

        // The old connection's handler saw its client's 1000 only now.
        node.manager.release(session, from: old, ending: true, eventLoop: loop)
        #expect(node.manager.session(withID: session.id) === session)
        #expect(session.isAttached)
        #expect(await node.manager.send(OutboundEvent(service: "s", pid: nil, data: 1), toSession: session.id))
        #expect(node.requests.endedSessions.isEmpty)

        // The new connection's own 1000 still ends it.
        node.manager.release(session, from: new, ending: true, eventLoop: loop)
        #expect(node.manager.session(withID: session.id) == nil)
    }

    /// A link to a handler that is in no pipeline: what is delivered to it goes nowhere.
    private static func link(_ node: TestNode, _ loop: NIOAsyncTestingEventLoop) -> ConnectionLink {
        ConnectionLink(SessionChannelHandler(manager: node.manager, origin: .allowed(retailer: nil), now: loop.now), eventLoop: loop)
    }
}
