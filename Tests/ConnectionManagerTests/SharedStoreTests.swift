@testable import ConnectionManager
import Foundation
import Synchronization
import Testing
import WSECore
import WSETesting

/// The connection manager with a shared session store (`journal`, docs/CLUSTER.md): events recorded in `seq`
/// order and committed before `SessionOutput` returns, acks passed on, and a session held elsewhere taken over
/// and resumed with the events its client missed.
@Suite(.timeLimit(.minutes(1))) struct SharedStoreTests {
    /// A journal that keeps a log of what it was asked, and offers one session to take over.
    final class FakeJournal: SessionJournal {
        let log = Mutex<[String]>([])
        let movable: (session: SessionID, user: UserName, moved: MovedSession)?

        init(movable: (SessionID, UserName, MovedSession)? = nil) { self.movable = movable }

        func record(session: SessionID, seq: UInt64, text: String) { log.withLock { $0.append("record \(seq)") } }
        func committed() async -> Bool {
            log.withLock { $0.append("committed") }
            return true
        }
        func acknowledge(session: SessionID, through seq: UInt64) { log.withLock { $0.append("ack \(seq)") } }

        func takeOver(session: SessionID, user: UserName, after lastSeq: UInt64) async -> MovedSession? {
            log.withLock { $0.append("take over \(session) after \(lastSeq)") }
            guard let movable, movable.session == session, movable.user == user else { return nil }
            return movable.moved
        }

        func tookOver(_ session: SessionContext) { log.withLock { $0.append("took over \(session.id) for \(session.principal.user)") } }
    }

    @Test func everyEventIsRecordedInOrderAndCommittedBeforeTheSendReturns() async throws {
        let journal = FakeJournal()
        let node = TestNode { $0.journal = journal }
        let (connection, session) = try await node.session("alice")
        #expect(await node.manager.send(OutboundEvent(service: "s", pid: "p1", data: 1), toSession: session) == .kept)
        #expect(journal.log.withLock { $0 } == ["record 1", "committed"], "committed before send returned")
        let reach = await node.manager.push(toUser: "alice", service: "s", data: 2, admitting: { _ in true })
        #expect(reach.reached == 1)
        #expect(journal.log.withLock { $0 } == ["record 1", "committed", "record 2", "committed"])
        #expect(try await connection.nextMessage()["seq"] == 1)
        #expect(try await connection.nextMessage()["seq"] == 2)
        try await connection.send(["type": "ack", "seq": 2])
        try await eventually("the ack reaches the journal") { journal.log.withLock { $0.last == "ack 2" } }
    }

    @Test func aSessionHeldElsewhereIsTakenOverAndResumedWithWhatItsClientMissed() async throws {
        let moved = MovedSession(lastSeq: 7, events: [
            JournaledEvent(seq: 6, text: #"{"type":"event","seq":6,"service":"s","data":6}"#),
            JournaledEvent(seq: 7, text: #"{"type":"event","seq":7,"service":"s","data":7}"#),
        ])
        let journal = FakeJournal(movable: ("s-moved", "alice", moved))
        let node = TestNode { $0.journal = journal }
        let connection = try await node.connect()
        let welcome = try await connection.hello(token: "user:alice", resume: ("s-moved", 5))
        #expect(welcome["resumed"] == true && welcome["session"] == "s-moved")
        #expect(try await connection.writtenMessage()["data"] == 6)
        #expect(try await connection.writtenMessage()["data"] == 7)
        #expect(journal.log.withLock { $0 } == ["take over s-moved after 5", "took over s-moved for alice"])
        #expect(await node.manager.send(OutboundEvent(service: "s", pid: nil, data: 8), toSession: "s-moved") == .kept)
        #expect(try await connection.nextMessage()["seq"] == 8, "numbering continues after the moved session's last seq")

        let other = try await node.connect()
        let fresh = try await other.hello(token: "user:bob", resume: ("s-unknown", 3))
        #expect(fresh["resumed"] == false, "a session the store does not know starts fresh, as without it")
    }

    @Test func aSessionLetGoLeavesWithoutEndingForTheMediator() async throws {
        let node = TestNode()
        let (connection, session) = try await node.session("alice")
        #expect(node.manager.letGo(of: session))
        #expect(node.manager.session(withID: session) == nil)
        #expect(TestConnection.closeCode(of: try await connection.next()) == 1000)
        #expect(node.requests.endedSessions.isEmpty, "its processes live on, on the other node")
        #expect(!node.manager.letGo(of: session))
    }
}
