import Foundation
import PostgresNIO
import Synchronization
import Testing
import WSECore
import WSETesting

@testable import Cluster

/// The shared session store on a real PostgreSQL: events and held messages committed before `committed()`
/// returns, acknowledged events and replayed messages deleted, a session taken over by another node with what its
/// client missed, the session directory written when `written()` returns, and sweeping.
@Suite(.postgresServer) struct SharedSessionStoreTests {
    static let principal = Principal(user: "ann", expiresAt: Date().addingTimeInterval(3600))

    @Test func everyEventIsInTheDatabaseWhenCommittedReturns() async throws {
        let harness = try await ClusterHarness.make()
        let node = ClusterNode(configuration: harness.configuration("a", shared: true), logger: .quiet)
        let journal = try #require(node.journal)
        try await harness.run([node]) { () async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 1...100 {
                    group.addTask { () async throws in
                        journal.record(session: SessionID("s\(index)"), seq: 1, text: "event \(index)")
                        await journal.committed()
                        // Through the node's own pool (10 connections): 100 connections at once would exceed the server's limit.
                        let rows = try await node.client.query("SELECT COUNT(*) FROM session_event WHERE session = \("s\(index)")", logger: .quiet).collect()
                        #expect(try rows.first?.decode(Int.self) == 1)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await harness.count("SELECT COUNT(*) FROM session_event") == 100)
        }
    }

    @Test func aSessionTakenOverFromADeadNodeBringsTheEventsItsClientMissedAndItsProcesses() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a", shared: true), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b", shared: true), logger: .quiet)
        let adopted = Mutex<[(SessionID, [DirectoryProcess])]>([])
        var localB = ClusterNode.Local()
        localB.adopt = { session, processes in adopted.withLock { $0.append((session.id, processes)) } }
        b.bind(localB)
        let journalA = try #require(a.journal)
        let journalB = try #require(b.journal)
        try await harness.run([a, b]) { () async throws in
            a.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            for seq in 1...5 { journalA.record(session: "s", seq: UInt64(seq), text: "e\(seq)") }
            await a.processStarted(ClusterBusTests.process("p-basic", session: "s"))
            await a.processStarted(ClusterBusTests.process("p-orc", session: "s", composed: true))
            journalA.acknowledge(session: "s", through: 2)
            await journalA.committed()
            #expect(try await harness.rows("SELECT seq FROM session_event ORDER BY seq").map { try $0.decode(Int.self) } == [3, 4, 5],
                    "acknowledged events are deleted")

            a.halt()
            try await harness.age("a", seconds: 10)
            #expect(await journalB.takeOver(session: "s", user: "bob", after: 3) == nil, "another user's session is not taken over")
            #expect(await journalB.takeOver(session: "unknown", user: "ann", after: 0) == nil)

            let moved = try #require(await journalB.takeOver(session: "s", user: "ann", after: 3))
            #expect(moved == MovedSession(lastSeq: 5, events: [JournaledEvent(seq: 4, text: "e4"), JournaledEvent(seq: 5, text: "e5")]))
            #expect(try await harness.rows("SELECT node FROM cluster_session WHERE id = 's'").first?.decode(String.self) == "b")
            #expect(try await harness.rows("SELECT pid, node FROM cluster_process").map { try $0.decode((String, String).self) }.map { "\($0.0)@\($0.1)" }
                    == ["p-basic@b"], "the basic process moves; the composition cannot")
            #expect(b.arriving.contains("s"), "until it is adopted, a push for its process is answered 503, not 404")

            journalB.tookOver(SessionContext(id: "s", principal: Self.principal))
            try await eventually("the mediator is given the moved processes") { adopted.withLock { !$0.isEmpty } }
            try await eventually("the session is no longer arriving once adopted") { !b.arriving.contains("s") }
            let handed = adopted.withLock { $0 }
            #expect(handed.first?.0 == "s")
            #expect(Set(handed.first?.1.map(\.pid) ?? []) == ["p-basic", "p-orc"])
            #expect(handed.first?.1.first { $0.pid == "p-orc" }?.composed == true)
        }
    }

    @Test func messagesHeldForAnAwayClientMoveWithTheSessionInTheirPlacesAndGoOnceReplayed() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a", shared: true), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b", shared: true), logger: .quiet)
        let journalA = try #require(a.journal)
        let journalB = try #require(b.journal)
        try await harness.run([a, b]) { () async throws in
            a.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            journalA.record(session: "s", seq: 1, text: "e1")
            journalA.hold(session: "s", afterSeq: 1, rank: 0, text: "response")
            journalA.record(session: "s", seq: 2, text: "e2")
            journalA.hold(session: "s", afterSeq: 2, rank: 0, text: "error")
            journalA.hold(session: "s", afterSeq: 2, rank: 1, text: "end")
            #expect(await journalA.committed())
            #expect(try await harness.count("SELECT COUNT(*) FROM session_message WHERE session = 's'") == 3, "held messages are committed")

            a.halt()
            try await harness.age("a", seconds: 10)
            let moved = try #require(await journalB.takeOver(session: "s", user: "ann", after: 0))
            #expect(moved.events.map(\.text) == ["e1", "e2"])
            #expect(moved.held == [
                HeldMessage(afterSeq: 1, rank: 0, text: "response"), HeldMessage(afterSeq: 2, rank: 0, text: "error"),
                HeldMessage(afterSeq: 2, rank: 1, text: "end"),
            ], "in the order they were sent")

            // In one batch: a message held and then replayed is never written; the replay removes those held
            // before it, not the one held after it (its rank starts again from 0).
            journalB.hold(session: "s", afterSeq: 2, rank: 3, text: "replayed with the others")
            journalB.replayed(session: "s")
            journalB.hold(session: "s", afterSeq: 2, rank: 0, text: "held after the replay")
            #expect(await journalB.committed())
            #expect(try await harness.rows("SELECT text FROM session_message").map { try $0.decode(String.self) } == ["held after the replay"])

            b.sessionEnded("s")
            await b.written()
            #expect(try await harness.count("SELECT COUNT(*) FROM session_message") == 0, "an ended session's held messages go with it")
        }
    }

    @Test func aSessionOpenedIsInTheDirectoryWhenWrittenReturns() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a"), logger: .quiet)
        try await harness.run([a]) { () async throws in
            for index in 1...3 { a.sessionOpened(SessionContext(id: SessionID("s\(index)"), principal: Self.principal)) }
            await a.written()
            #expect(try await harness.count("SELECT COUNT(*) FROM cluster_session WHERE node = 'a'") == 3)
        }
    }

    @Test func aSessionWhoseClientSawMoreThanWasCommittedContinuesAfterTheClientsSeq() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a", shared: true), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b", shared: true), logger: .quiet)
        try await harness.run([a, b]) { () async throws in
            a.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            a.journal?.record(session: "s", seq: 1, text: "e1")
            await a.journal?.committed()
            a.halt()
            try await harness.age("a", seconds: 10)
            #expect(await b.journal?.takeOver(session: "s", user: "ann", after: 3) == MovedSession(lastSeq: 3, events: []),
                    "no seq the client has seen is given out again")
        }
    }

    @Test func theNodeThatHoldsASessionLetsItGoBeforeItIsTakenOver() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a", shared: true), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b", shared: true), logger: .quiet)
        let journalA = try #require(a.journal)
        var localA = ClusterNode.Local()
        localA.letGo = { session in
            // What a node does when it lets go: its last events committed before it answers.
            journalA.record(session: session, seq: 2, text: "last")
            await journalA.committed()
        }
        a.bind(localA)
        try await harness.run([a, b]) { () async throws in
            a.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            journalA.record(session: "s", seq: 1, text: "first")
            await journalA.committed()
            let moved = await b.journal?.takeOver(session: "s", user: "ann", after: 0)
            #expect(moved?.events.map(\.text) == ["first", "last"], "the old node let go (and committed) before the events were read")
            #expect(moved?.lastSeq == 2)
        }
    }

    @Test func sweepingRemovesWhatNodesDeadLongerThanTheResumeWindowLeft() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a", shared: true), logger: .quiet)
        try await harness.run([a]) { () async throws in
            a.sessionOpened(SessionContext(id: "live", principal: Self.principal))
            await a.processStarted(ClusterBusTests.process("p-live", session: "live"))
            try await harness.rows("INSERT INTO cluster_node (id, url, pid, heartbeat_at) VALUES ('dead', 'x', 1, now() - interval '2 minutes')")
            try await harness.rows("INSERT INTO cluster_session (id, username, node, principal) VALUES ('gone', 'ann', 'dead', '{}')")
            try await harness.rows("INSERT INTO cluster_process (pid, node, session, username, service, serving, composed) VALUES ('p-gone', 'dead', 'gone', 'ann', 'svc', 'svc', false)")
            try await harness.rows("INSERT INTO session_event (session, seq, text, recorded_at) VALUES ('gone', 1, 'x', now() - interval '2 minutes')")
            try await harness.rows("INSERT INTO session_event (session, seq, text) VALUES ('live', 1, 'y')")
            try await harness.rows("INSERT INTO session_message (session, after_seq, rank, text, recorded_at) VALUES ('gone', 1, 0, 'x', now() - interval '2 minutes')")
            try await harness.rows("INSERT INTO session_message (session, after_seq, rank, text) VALUES ('live', 1, 0, 'y')")
            try await harness.rows("INSERT INTO session_pending (session, tail, recorded_at) VALUES ('gone', 'x', now() - interval '2 minutes')")
            try await harness.rows("INSERT INTO session_pending (session, tail) VALUES ('live', 'y')")

            try await a.directory.sweep(resumeWindow: .seconds(60))
            #expect(try await harness.rows("SELECT id FROM cluster_session").map { try $0.decode(String.self) } == ["live"])
            #expect(try await harness.rows("SELECT pid FROM cluster_process").map { try $0.decode(String.self) } == ["p-live"])
            #expect(try await harness.rows("SELECT session FROM session_event").map { try $0.decode(String.self) } == ["live"])
            #expect(try await harness.rows("SELECT session FROM session_message").map { try $0.decode(String.self) } == ["live"])
            #expect(try await harness.rows("SELECT session FROM session_pending").map { try $0.decode(String.self) } == ["live"])

            try await harness.rows("UPDATE cluster_node SET heartbeat_at = now() - interval '30 seconds' WHERE id = 'dead'")
            try await harness.rows("INSERT INTO cluster_session (id, username, node, principal) VALUES ('recent', 'ann', 'dead', '{}')")
            try await a.directory.sweep(resumeWindow: .seconds(60))
            #expect(try await harness.count("SELECT COUNT(*) FROM cluster_session WHERE id = 'recent'") == 1,
                    "a session of a node dead for less than the resume window may still be resumed")
        }
    }
}
