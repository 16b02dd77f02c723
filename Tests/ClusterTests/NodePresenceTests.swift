import Foundation
import Synchronization
import Testing
import WSECore
import WSETesting

@testable import Cluster

/// Taking over a session from its node: a node known dead (its process gone, or its heartbeat stale) is not asked
/// over the bus, so the session moves at once; a node alive but slow to let go is waited for. The taker's bus runs on
/// a manual clock that never advances: a request to the old node could only end by its answer.
@Suite(.postgresServer, .timeLimit(.minutes(1))) struct NodePresenceTests {
    static let principal = Principal(user: "ann", expiresAt: Date().addingTimeInterval(3600))

    /// The cluster's nodes `a` and `b` (shared store), `b` on a manual clock, `a` bound to `local`.
    static func nodes(_ harness: ClusterHarness, local: ClusterNode.Local = ClusterNode.Local()) -> (a: ClusterNode, b: ClusterNode) {
        // Both on clocks that never advance: no heartbeat after the start refreshes what a test aged, and the
        // taker's requests end only by their answer.
        var configurationA = harness.configuration("a", shared: true), configurationB = harness.configuration("b", shared: true)
        configurationA.clock = ManualClock()
        configurationB.clock = ManualClock()
        let a = ClusterNode(configuration: configurationA, logger: .quiet)
        a.bind(local)
        return (a, ClusterNode(configuration: configurationB, logger: .quiet))
    }

    /// Advisory locks held in the harness's database (each running node holds its presence lock).
    static func presenceLocks(_ harness: ClusterHarness) async throws -> Int {
        try await harness.count("""
            SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """)
    }

    @Test func aKilledNodeWhoseHeartbeatIsStillFreshIsNotAskedAndItsSessionMovesAtOnce() async throws {
        let harness = try await ClusterHarness.make()
        let (a, b) = Self.nodes(harness)
        try await harness.run([a, b]) { () async throws in
            #expect(try await Self.presenceLocks(harness) == 2, "each running node holds its presence")
            #expect(try await b.directory.isPresent("a"))
            a.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            a.journal?.record(session: "s", seq: 1, text: "e1")
            await a.journal?.committed()

            a.halt()  // as kill -9: silent, and its connections closed
            try await harness.rows("UPDATE cluster_node SET heartbeat_at = now() + interval '1 hour' WHERE id = 'a'")
            try await eventually("PostgreSQL released a's presence") { try await Self.presenceLocks(harness) == 1 }
            #expect(try await !b.directory.isPresent("a"))
            #expect(try await b.directory.session("s")?.nodeAlive == true, "by its heartbeat, a still looks alive")

            let moved = await b.journal?.takeOver(session: "s", user: "ann", after: 0)
            #expect(moved == MovedSession(lastSeq: 1, events: [JournaledEvent(seq: 1, text: "e1")]))
            #expect(try await harness.rows("SELECT node FROM cluster_session WHERE id = 's'").first?.decode(String.self) == "b")
        }
    }

    @Test func aNodeWhoseHeartbeatIsStaleIsNotAskedEvenWhileItsProcessLives() async throws {
        let harness = try await ClusterHarness.make()
        let askedToLetGo = Mutex(false)
        var local = ClusterNode.Local()
        local.letGo = { _ in askedToLetGo.withLock { $0 = true } }
        let (a, b) = Self.nodes(harness, local: local)
        try await harness.run([a, b]) { () async throws in
            a.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            await a.journal?.committed()
            try await harness.age("a", seconds: 10)
            #expect(try await b.directory.isPresent("a"))

            #expect(await b.journal?.takeOver(session: "s", user: "ann", after: 0) == MovedSession(lastSeq: 0, events: []))
            #expect(askedToLetGo.withLock { !$0 }, "a node the directory lists as dead is not routed to, nor asked")
        }
    }

    @Test func aNodeAliveButSlowToLetGoIsWaitedFor() async throws {
        let harness = try await ClusterHarness.make()
        let (asked, markAsked) = AsyncStream.makeStream(of: Void.self)
        let (release, letGoOn) = AsyncStream.makeStream(of: Void.self)
        let journalA = Mutex<(any SessionJournal)?>(nil)
        var local = ClusterNode.Local()
        local.letGo = { session in
            markAsked.yield()
            for await _ in release { break }
            // What a node does when it lets go: its last events committed before it answers.
            let journal = journalA.withLock { $0 }
            journal?.record(session: session, seq: 2, text: "last")
            await journal?.committed()
        }
        let (a, b) = Self.nodes(harness, local: local)
        journalA.withLock { $0 = a.journal }
        try await harness.run([a, b]) { () async throws in
            a.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            a.journal?.record(session: "s", seq: 1, text: "first")
            await a.journal?.committed()
            try await harness.rows("UPDATE cluster_node SET heartbeat_at = now() + interval '1 hour' WHERE id = 'a'")

            async let moved = b.journal?.takeOver(session: "s", user: "ann", after: 0)
            for await _ in asked { break }
            #expect(try await harness.rows("SELECT node FROM cluster_session WHERE id = 's'").first?.decode(String.self) == "a",
                    "while a has not answered, the session stays a's")
            letGoOn.yield()
            #expect(await moved?.events.map(\.text) == ["first", "last"], "the events a committed while letting go are read after its answer")
            #expect(try await harness.rows("SELECT node FROM cluster_session WHERE id = 's'").first?.decode(String.self) == "b")
        }
    }
}
