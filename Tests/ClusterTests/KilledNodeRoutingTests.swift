import Foundation
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
            #expect(try await a.directory.otherNodes(withSessionsOf: "ann") == ["b"])

            try await Self.kill(b, "b", seenBy: a, in: harness)
            #expect(try await a.directory.owner(of: "p") == ProcessOwner(node: "b", alive: false, session: "s"),
                    "a fresh heartbeat without presence is a dead node")
            #expect(try await a.directory.otherNodes(withSessionsOf: "ann") == [])
            #expect(ClusterBusTests.isUnavailable(await inbound.processData(pid: "p", data: 2, final: false, from: identity)),
                    "answered without asking b (a's bus deadline never comes)")
            #expect(await localB.pushes.count == 1)
        }
    }
}

