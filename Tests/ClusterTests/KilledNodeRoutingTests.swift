import Foundation
import PostgresNIO
import Testing
import WSECore
import WSETesting

@testable import Cluster

/// Pushes for the processes and users of a node killed a moment ago (its heartbeat still fresh, its presence gone):
/// routed by the take-over's liveness, so they are answered at once instead of asking the dead node over the bus.
/// The asking node's bus runs on a manual clock that never advances: a request to the dead node could never end.
@Suite(.postgresServer, .timeLimit(.minutes(1))) struct KilledNodeRoutingTests {
    static let principal = Principal(user: "ann", expiresAt: Date().addingTimeInterval(3600))
    let identity = ConnectorIdentity(services: ["svc"])

    /// Nodes `a` (manual clock, the one pushed to) and `b`, both with the shared store.
    static func nodes(_ harness: ClusterHarness) -> (a: ClusterNode, b: ClusterNode, localA: RecordingInbound, localB: RecordingInbound) {
        var configuration = harness.configuration("a", shared: true)
        configuration.clock = ManualClock()
        let a = ClusterNode(configuration: configuration, logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b", shared: true), logger: .quiet)
        let localA = RecordingInbound(processAnswer: .notFound("not here"))
        let localB = RecordingInbound(processAnswer: .delivered(1), userAnswer: .delivered(1))
        a.bind(inbound: localA)
        b.bind(inbound: localB)
        return (a, b, localA, localB)
    }

    /// Halts `node` as `kill -9` would, its heartbeat kept fresh, and waits until PostgreSQL released its presence.
    static func kill(_ node: ClusterNode, _ id: String, seenBy other: ClusterNode, in harness: ClusterHarness) async throws {
        node.halt()
        try await harness.rows("UPDATE cluster_node SET heartbeat_at = now() + interval '1 hour' WHERE id = '\(id)'")
        try await eventually("PostgreSQL released \(id)'s presence") { try await !other.directory.isPresent(id) }
    }

    @Test func aPushForAProcessOfANodeKilledAMomentAgoIsAnswered503AtOnce() async throws {
        let harness = try await ClusterHarness.make()
        let (a, b, localA, localB) = Self.nodes(harness)
        try await harness.run([a, b]) { () async throws in
            await b.processStarted(DirectoryProcess(pid: "p", session: "s", user: "ann", requestedService: "svc", servingService: "svc", composed: false))
            b.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            await b.directoryWriter.committed()
            let inbound = ClusterInbound(wrapping: localA, node: a)
            #expect(await inbound.processData(pid: "p", data: 1, final: false, from: identity) == .delivered(1), "b is live: asked")
            #expect(try await a.directory.owner(of: "p")?.alive == true)
            #expect(try await a.directory.holders(ofSessionsOf: "ann") == UserSessionHolders(liveNodes: ["b"], liveSessions: [.init(session: "s", node: "b")]))

            try await Self.kill(b, "b", seenBy: a, in: harness)
            #expect(try await a.directory.owner(of: "p") == ProcessOwner(node: "b", alive: false, session: "s"),
                    "a fresh heartbeat without presence is a dead node")
            #expect(try await a.directory.holders(ofSessionsOf: "ann") == UserSessionHolders(awaySessions: [.init(session: "s", node: "b")]))
            #expect(ClusterBusTests.isUnavailable(await inbound.processData(pid: "p", data: 2, final: false, from: identity)),
                    "answered without asking b (a's bus deadline never comes)")
            #expect(await localB.pushes.count == 1)
        }
    }

    @Test func aUserPushDuringAFailoverReachesTheSessionsOfTheDeadNodeOnceAfterTheirEvents() async throws {
        let harness = try await ClusterHarness.make()
        let (a, b, localA, localB) = Self.nodes(harness)
        try await harness.run([a, b]) { () async throws in
            b.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            b.journal?.record(session: "s", seq: 1, text: "e1")
            b.journal?.record(session: "s", seq: 2, text: "e2")
            await b.journal?.committed()
            let inbound = ClusterInbound(wrapping: localA, node: a)
            #expect(await inbound.userPush(user: "ann", service: "svc", data: "live", from: identity) == .delivered(1), "b is live: asked")
            #expect(try await harness.count("SELECT COUNT(*) FROM session_pending") == 0, "a push to a live node records nothing")

            try await Self.kill(b, "b", seenBy: a, in: harness)
            #expect(await inbound.userPush(user: "ann", service: "svc", data: "first", from: identity) == .delivered(1),
                    "recorded for b's session, and counted")
            #expect(await inbound.userPush(user: "ann", service: "svc", data: "second", from: identity) == .delivered(1))
            #expect(await localA.userPushes.count == 3, "the local sessions are asked as always")
            #expect(await localB.userPushes.count == 1, "the dead node is not asked (a's bus deadline never comes)")

            let moved = await a.journal?.takeOver(session: "s", user: "ann", after: 1)
            let first = OutboundEvent(service: "svc", pid: nil, data: "first").message(seq: 3).jsonText
            let second = OutboundEvent(service: "svc", pid: nil, data: "second").message(seq: 4).jsonText
            #expect(moved == MovedSession(lastSeq: 4, events: [
                JournaledEvent(seq: 2, text: "e2"), JournaledEvent(seq: 3, text: first), JournaledEvent(seq: 4, text: second),
            ]), "the pushes follow the replayed events, numbered after them in the order they came")
            #expect(try await harness.count("SELECT COUNT(*) FROM session_pending") == 0)
            #expect(try await harness.count("SELECT COUNT(*) FROM session_event WHERE session = 's' AND seq > 2") == 2,
                    "committed with their seqs: a later take-over replays them, once")

            #expect(await inbound.userPush(user: "ann", service: "svc", data: "after", from: identity) == .notFound("no session"),
                    "the session is a's now: its mediator answers for it, nothing is recorded")
            #expect(try await harness.count("SELECT COUNT(*) FROM session_pending") == 0)
        }
    }

    /// The service's access rule decides for a dead node's sessions as the mediator does for its own: by the principal
    /// the directory keeps, or a process of the service the session runs. Before, every such session got the push.
    @Test func aUserPushIsRecordedOnlyForTheDeadNodesSessionsTheAccessRuleAdmitsOrThatRunTheService() async throws {
        let harness = try await ClusterHarness.make()
        let (a, b, localA, _) = Self.nodes(harness)
        try await harness.run([a, b]) { () async throws in
            let expiry = Date().addingTimeInterval(3600)
            b.sessionOpened(SessionContext(id: "plain", principal: Principal(user: "ann", expiresAt: expiry)))
            b.sessionOpened(SessionContext(id: "premium", principal: Principal(user: "ann", roles: ["premium"], expiresAt: expiry)))
            b.sessionOpened(SessionContext(id: "caller", principal: Principal(user: "ann", expiresAt: expiry)))
            await b.processStarted(DirectoryProcess(
                pid: "p", session: "caller", user: "ann", requestedService: "svc", servingService: "svc", composed: false))
            b.sessionOpened(SessionContext(id: "other", principal: Principal(user: "bob", expiresAt: expiry)))
            await b.directoryWriter.committed()
            try await Self.kill(b, "b", seenBy: a, in: harness)
            await localA.setAccessRule(AccessRule(roles: ["premium"]))
            let inbound = ClusterInbound(wrapping: localA, node: a)

            #expect(await inbound.userPush(user: "ann", service: "svc", data: 1, from: identity) == .delivered(2))
            let recorded = try await harness.rows("SELECT session FROM session_pending ORDER BY session").map { try $0.decode(String.self) }
            #expect(recorded == ["caller", "premium"], "not the plain session: the rule refuses it and it runs no process of svc")
            #expect(await inbound.userPush(user: "bob", service: "svc", data: 2, from: identity)
                    == .forbidden("user may not use service \"svc\" and runs no process of it"))
            #expect(try await harness.count("SELECT COUNT(*) FROM session_pending WHERE session = 'other'") == 0)

            await localA.setAccessRule(AccessRule())
            #expect(await inbound.userPush(user: "bob", service: "svc", data: 3, from: identity) == .delivered(1), "a rule that admits everyone")
        }
    }

    @Test func aPushRecordedForASessionThatMovedMeanwhileIsRefusedNotLost() async throws {
        let harness = try await ClusterHarness.make()
        let (a, b, localA, _) = Self.nodes(harness)
        try await harness.run([a, b]) { () async throws in
            b.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            await b.journal?.committed()
            try await Self.kill(b, "b", seenBy: a, in: harness)
            let found = try await a.directory.holders(ofSessionsOf: "ann")
            _ = await a.journal?.takeOver(session: "s", user: "ann", after: 0)

            let inbound = ClusterInbound(wrapping: localA, node: a)
            #expect(ClusterBusTests.isUnavailable(await inbound.recordForResume(service: "svc", data: 1, in: found.awaySessions, after: .notFound("none"))),
                    "the session left the dead node after it was looked up: the connector is to push again")
            #expect(try await harness.count("SELECT COUNT(*) FROM session_pending") == 0)
        }
    }

    @Test func aTakeOverWaitsForAPushBeingRecordedForItsSessionAndNumbersIt() async throws {
        let harness = try await ClusterHarness.make()
        let (a, b, _, _) = Self.nodes(harness)
        try await harness.run([a, b]) { () async throws in
            b.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            b.journal?.record(session: "s", seq: 1, text: "e1")
            await b.journal?.committed()
            try await Self.kill(b, "b", seenBy: a, in: harness)

            // What recordPending does, left uncommitted: the session's row held FOR SHARE and the push inserted.
            let connection = try await PostgresConnection.connect(
                configuration: PostgresConnection.Configuration(
                    host: "127.0.0.1", port: harness.server.port, username: "postgres", password: nil, database: harness.database, tls: .disable),
                id: 1, logger: .quiet)
            _ = try await connection.query("BEGIN", logger: .quiet).collect()
            _ = try await connection.query("SELECT id FROM cluster_session WHERE id = 's' AND node = 'b' FOR SHARE", logger: .quiet).collect()
            _ = try await connection.query("INSERT INTO session_pending (session, tail) VALUES ('s', ',\"service\":\"svc\",\"data\":1}')", logger: .quiet).collect()

            async let moved = a.journal?.takeOver(session: "s", user: "ann", after: 0)
            try await eventually("the take-over waits for the session's row") {
                try await harness.count("SELECT COUNT(*) FROM pg_locks WHERE NOT granted") > 0
            }
            _ = try await connection.query("COMMIT", logger: .quiet).collect()
            try await connection.close()
            #expect(await moved == MovedSession(lastSeq: 2, events: [
                JournaledEvent(seq: 1, text: "e1"), JournaledEvent(seq: 2, text: #"{"type":"event","seq":2,"service":"svc","data":1}"#),
            ]), "the push committed while the take-over waited is read by it")
        }
    }

    /// `b` killed while `a` asks it (its presence held by a stand-in connection, then released): `a` gets no answer by
    /// its deadline, finds `b` dead and records the push for `b`'s session. While `b` still looks live: 503.
    @Test(arguments: [true, false]) func aUserPushToANodeKilledWhileItWasAskedIsRecordedForItsSessions(diesMeanwhile: Bool) async throws {
        let harness = try await ClusterHarness.make()
        let clock = ManualClock()
        var configuration = harness.configuration("a", shared: true)
        configuration.clock = clock
        let a = ClusterNode(configuration: configuration, logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b", shared: true), logger: .quiet)
        let localA = RecordingInbound()
        a.bind(inbound: localA)
        b.bind(inbound: RecordingInbound(userAnswer: .delivered(1)))
        try await harness.run([a, b]) { () async throws in
            b.sessionOpened(SessionContext(id: "s", principal: Self.principal))
            await b.journal?.committed()
            try await Self.kill(b, "b", seenBy: a, in: harness)
            let standIn = try await PostgresConnection.connect(
                configuration: PostgresConnection.Configuration(
                    host: "127.0.0.1", port: harness.server.port, username: "postgres", password: nil, database: harness.database, tls: .disable),
                id: 2, logger: .quiet)
            #expect(try await b.directory.takePresence(on: standIn), "b looks live again: fresh heartbeat, presence held")

            let inbound = ClusterInbound(wrapping: localA, node: a)
            let sleepersBefore = clock.sleeperCount
            async let answer = inbound.userPush(user: "ann", service: "svc", data: "hi", from: identity)
            try await eventually("a asks b and waits for its deadline") { clock.sleeperCount > sleepersBefore }
            if diesMeanwhile {
                try await standIn.close()
                try await eventually("b's presence is released") { try await !a.directory.isPresent("b") }
            }
            clock.advance(by: configuration.requestTimeout)
            let outcome = await answer
            if diesMeanwhile {
                #expect(outcome == .delivered(1), "recorded for b's session and counted")
                #expect(try await harness.count("SELECT COUNT(*) FROM session_pending WHERE session = 's'") == 1)
            } else {
                #expect(ClusterBusTests.isUnavailable(outcome), "b may or may not have delivered it: the connector is to push again")
                #expect(try await harness.count("SELECT COUNT(*) FROM session_pending") == 0)
                try await standIn.close()
            }
        }
    }
}
