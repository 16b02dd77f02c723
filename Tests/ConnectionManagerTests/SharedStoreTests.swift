@testable import ConnectionManager
import Foundation
import Synchronization
import Testing
import WSECore
import WSETesting

/// The connection manager with a shared session store (`journal`, docs/CLUSTER.md): events recorded in `seq`
/// order and committed before `SessionOutput` returns, acks passed on, messages held for an away client recorded
/// in their place, and a session held elsewhere taken over and resumed with what its client missed. In cluster
/// mode a fresh session's `welcome` waits for its directory entry.
@Suite(.timeLimit(.minutes(1))) struct SharedStoreTests {
    /// A journal that keeps a log of what it was asked, and offers one session to take over.
    final class FakeJournal: SessionJournal {
        let log = Mutex<[String]>([])
        let movable: (session: SessionID, user: UserName, moved: MovedSession)?

        init(movable: (SessionID, UserName, MovedSession)? = nil) { self.movable = movable }

        func record(session: SessionID, seq: UInt64, text: String) { log.withLock { $0.append("record \(seq)") } }
        func hold(session: SessionID, afterSeq: UInt64, rank: Int, text: String) {
            let type = (try? JSONValue.parse(text)["type"]?.stringValue) ?? "?"
            log.withLock { $0.append("hold \(type) after \(afterSeq) #\(rank)") }
        }
        func replayed(session: SessionID) { log.withLock { $0.append("replayed") } }
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

    @Test func messagesHeldForAnAwayClientAreRecordedInPlaceCommittedAndReleasedOnceReplayed() async throws {
        let journal = FakeJournal()
        let node = TestNode { $0.journal = journal }
        let (connection, session) = try await node.session("alice")
        let output = node.manager
        #expect(await output.send(.response(id: "r0", pid: "p1", data: 0), toSession: session))
        #expect(journal.log.withLock { $0 }.isEmpty, "a connected client's response is sent, not recorded")
        #expect(try await connection.nextMessage()["id"] == "r0")

        try await connection.channel.close()
        #expect(await output.send(.response(id: "r1", pid: "p1", data: 1), toSession: session))
        #expect(await output.send(OutboundEvent(service: "s", pid: "p1", data: 1), toSession: session) == .kept)
        #expect(await output.send(.error(id: "r2", code: .forbidden, message: "no"), toSession: session))
        #expect(await output.send(.end(pid: "p1", reason: .done), toSession: session))
        #expect(journal.log.withLock { $0 } == [
            "hold response after 0 #0", "committed", "record 1", "committed",
            "hold error after 1 #0", "committed", "hold end after 1 #1", "committed",
        ], "each held message in its place, committed before the send returned")

        let again = try await node.connect()
        #expect(try await again.hello(token: "user:alice", resume: (session, 0))["resumed"] == true)
        #expect(try await again.writtenMessage()["id"] == "r1")
        #expect(try await again.writtenMessage()["seq"] == 1)
        #expect(try await again.writtenMessage()["id"] == "r2")
        #expect(try await again.writtenMessage()["type"] == "end")
        #expect(journal.log.withLock { $0.last } == "replayed", "replayed, the held messages may leave the store")
    }

    @Test func aSessionTakenOverReplaysTheMessagesHeldForItsClientInTheirPlacesAmongTheEvents() async throws {
        let moved = MovedSession(
            lastSeq: 7,
            events: [
                JournaledEvent(seq: 6, text: #"{"type":"event","seq":6,"service":"s","data":6}"#),
                JournaledEvent(seq: 7, text: #"{"type":"event","seq":7,"service":"s","data":7}"#),
            ],
            held: [
                HeldMessage(afterSeq: 5, rank: 0, text: #"{"type":"response","id":"r1","pid":"p1","data":1}"#),
                HeldMessage(afterSeq: 6, rank: 0, text: #"{"type":"error","id":"r2","code":"forbidden","message":"no"}"#),
                HeldMessage(afterSeq: 7, rank: 0, text: #"{"type":"end","pid":"p1","reason":"done"}"#),
            ])
        let journal = FakeJournal(movable: ("s-moved", "alice", moved))
        let node = TestNode { $0.journal = journal }
        let connection = try await node.connect()
        #expect(try await connection.hello(token: "user:alice", resume: ("s-moved", 5))["resumed"] == true)
        #expect(try await connection.writtenMessage()["id"] == "r1")
        #expect(try await connection.writtenMessage()["seq"] == 6)
        #expect(try await connection.writtenMessage()["id"] == "r2")
        #expect(try await connection.writtenMessage()["seq"] == 7)
        #expect(try await connection.writtenMessage()["type"] == "end")
        #expect(try await connection.isQuiet())
        #expect(journal.log.withLock { $0.last } == "replayed")

        // Away again: the next held message ranks after nothing (the replayed ones are gone).
        try await connection.channel.close()
        #expect(await node.manager.send(.end(pid: "p2", reason: .done), toSession: "s-moved"))
        #expect(journal.log.withLock { $0.suffix(2) } == ["hold end after 7 #0", "committed"])
    }

    /// A session directory whose writes complete only when the test says so.
    final class GatedDirectory: SessionDirectory {
        let opened = Mutex<[SessionID]>([])
        let waiting = AsyncStream.makeStream(of: Void.self)
        let release = AsyncStream.makeStream(of: Void.self)

        func sessionOpened(_ session: SessionContext) { opened.withLock { $0.append(session.id) } }
        func sessionEnded(_ session: SessionID) {}
        func written() async {
            waiting.continuation.yield()
            for await _ in release.stream { return }
        }
    }

    @Test func aFreshSessionsWelcomeWaitsForItsDirectoryEntryAndWhatCameMeanwhileFollowsIt() async throws {
        let directory = GatedDirectory()
        let node = TestNode { $0.sessionDirectory = directory }
        let connection = try await node.connect()
        try await connection.send(["type": "hello", "token": "user:alice"])
        var waiting = directory.waiting.stream.makeAsyncIterator()
        _ = await waiting.next()
        #expect(directory.opened.withLock { $0.count } == 1, "entered in the directory")
        let reach = await node.manager.push(toUser: "alice", service: "s", data: "early", admitting: { _ in true })
        #expect(reach.reached == 1, "the session exists here while its entry is written")
        #expect(try await connection.isQuiet(), "no welcome before the directory has the session")

        directory.release.continuation.yield()
        let welcome = try await connection.nextMessage()
        #expect(welcome["type"] == "welcome" && welcome["session"]?.stringValue == directory.opened.withLock { $0.first?.rawValue })
        let early = try await connection.nextMessage()
        #expect(early["seq"] == 1 && early["data"] == "early", "\(early)")
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
