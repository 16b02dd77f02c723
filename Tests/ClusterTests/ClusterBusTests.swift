import Foundation
import Testing
import WSECore
import WSETesting

@testable import Cluster

/// Pushes between nodes over LISTEN/NOTIFY: routed by the process and session directories, answered by the
/// node that holds the process or the sessions, large payloads through `cluster_message`, and deadlines.
@Suite(.postgresServer) struct ClusterBusTests {
    let identity = ConnectorIdentity(services: ["svc"])

    static func process(_ pid: ProcessID, session: SessionID? = "s1", composed: Bool = false) -> DirectoryProcess {
        DirectoryProcess(pid: pid, session: session, user: "ann", requestedService: "svc", servingService: "svc", composed: composed)
    }

    @Test func aPushForAProcessOfAnotherNodeReachesThatNodeAndGetsItsAnswer() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a"), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b"), logger: .quiet)
        let localA = RecordingInbound(processAnswer: .notFound("not here"))
        let localB = RecordingInbound(processAnswer: .delivered(1))
        a.bind(inbound: localA)
        b.bind(inbound: localB)
        try await harness.run([a, b]) { () async throws in
            await b.processStarted(Self.process("p1"))
            let inbound = ClusterInbound(wrapping: localA, node: a)
            #expect(await inbound.processData(pid: "p1", data: ["n": 1], final: true, from: identity) == .delivered(1))
            let received = await localB.pushes
            #expect(received.count == 1)
            #expect(received.first?.pid == "p1" && received.first?.data == ["n": 1] && received.first?.final == true)
            #expect(received.first?.services == ["svc"], "the connector's services travel with the push: the owner checks them")
            #expect(await localA.pushes.count == 1, "the local mediator is asked first")

            #expect(await inbound.processData(pid: "unknown", data: 1, final: false, from: identity) == .notFound("not here"))
            b.processEnded("p1")
            await b.directoryWriter.committed()
            #expect(await inbound.processData(pid: "p1", data: 2, final: false, from: identity) == .notFound("not here"))
            #expect(await localB.pushes.count == 1, "an ended process is no longer routed")
        }
    }

    @Test func withTheSharedStoreAProcessBetweenNodesIsAnswered503NotEnded() async throws {
        let harness = try await ClusterHarness.make()
        let nodes = ["a", "b", "c"].map { ClusterNode(configuration: harness.configuration($0, shared: true), logger: .quiet) }
        let locals = nodes.map { _ in RecordingInbound(processAnswer: .notFound("not here")) }
        for (node, local) in zip(nodes, locals) { node.bind(inbound: local) }
        try await harness.run(nodes) { () async throws in
            let onA = ClusterInbound(wrapping: locals[0], node: nodes[0])
            // Its row names a, a's mediator does not know it: gone (a restarted node's session that never came back)…
            await nodes[0].processStarted(Self.process("p-arriving", session: "s-a"))
            #expect(await onA.processData(pid: "p-arriving", data: 1, final: false, from: identity) == .notFound("not here"))
            #expect(await locals[0].pushes.count == 2, "the mediator is asked again (it may have adopted the process meanwhile)")
            // …or adopted between the mediator's first answer and the directory's: the push is delivered.
            await locals[0].answerNextPushes([.notFound("not yet"), .delivered(1)])
            #expect(await onA.processData(pid: "p-arriving", data: 1, final: false, from: identity) == .delivered(1))
            // While a takes its session over and has not adopted it yet: 503.
            nodes[0].arriving.begin("s-a")
            #expect(Self.isUnavailable(await onA.processData(pid: "p-arriving", data: 1, final: false, from: identity)))
            nodes[0].arriving.end("s-a")

            // The same on b, for a push a sends there.
            await nodes[1].processStarted(Self.process("p-on-b", session: "s-b"))
            #expect(await onA.processData(pid: "p-on-b", data: 2, final: false, from: identity) == .notFound("not here"))
            nodes[1].arriving.begin("s-b")
            #expect(Self.isUnavailable(await onA.processData(pid: "p-on-b", data: 2, final: false, from: identity)))
            #expect(await locals[1].pushes.count == 3, "b was asked, twice when it is not arriving")

            // Its node died, and its session has not resumed elsewhere yet.
            await nodes[2].processStarted(Self.process("p-on-c", session: "s-c"))
            nodes[2].halt()
            try await harness.age("c", seconds: 10)
            #expect(Self.isUnavailable(await onA.processData(pid: "p-on-c", data: 3, final: false, from: identity)))
            #expect(await onA.processData(pid: "p-nowhere", data: 4, final: false, from: identity) == .notFound("not here"))
        }
    }

    @Test func withTheMemoryStoreAProcessOfADeadNodeIsNotFound() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a"), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b"), logger: .quiet)
        let localA = RecordingInbound(processAnswer: .notFound("not here"))
        a.bind(inbound: localA)
        b.bind(inbound: RecordingInbound(processAnswer: .notFound("not on b")))
        try await harness.run([a, b]) { () async throws in
            let inbound = ClusterInbound(wrapping: localA, node: a)
            await b.processStarted(Self.process("p-on-b"))
            #expect(await inbound.processData(pid: "p-on-b", data: 1, final: false, from: identity) == .notFound("not on b"))
            b.halt()
            try await harness.age("b", seconds: 10)
            #expect(await inbound.processData(pid: "p-on-b", data: 2, final: false, from: identity) == .notFound("not here"),
                    "its sessions never resume elsewhere: the process is gone")
        }
    }

    static func isUnavailable(_ outcome: InboundOutcome) -> Bool {
        if case .unavailable = outcome { true } else { false }
    }

    @Test func aPayloadOverTheNotifyLimitTravelsThroughTheMessageTable() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a"), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b"), logger: .quiet)
        let localB = RecordingInbound(processAnswer: .delivered(1))
        a.bind(inbound: RecordingInbound())
        b.bind(inbound: localB)
        try await harness.run([a, b]) { () async throws in
            await b.processStarted(Self.process("p-big"))
            let big = JSONValue.string(String(repeating: "0123456789", count: 2_000))
            let inbound = ClusterInbound(wrapping: RecordingInbound(), node: a)
            #expect(await inbound.processData(pid: "p-big", data: ["text": big], final: false, from: identity) == .delivered(1))
            #expect(await localB.pushes.first?.data == ["text": big], "20,000 bytes arrive whole")
            #expect(try await harness.count("SELECT COUNT(*) FROM cluster_message") == 0, "the receiver deleted the row it read")
        }
    }

    @Test func aRequestToANodeThatDoesNotAnswerGivesUpAtItsDeadline() async throws {
        let harness = try await ClusterHarness.make()
        let clock = ManualClock()
        var configuration = harness.configuration("a")
        configuration.clock = clock
        let a = ClusterNode(configuration: configuration, logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b"), logger: .quiet)
        a.bind(inbound: RecordingInbound())
        b.bind(inbound: RecordingInbound())
        try await harness.run([a, b]) { () async throws in
            #expect(await a.ask("b", .ping) == .pong, "a live node answers before the deadline")
            let sleepersBefore = clock.sleeperCount
            async let answer = a.ask("gone", .ping)
            try await eventually("the request waits for its deadline") { clock.sleeperCount > sleepersBefore }
            clock.advance(by: configuration.requestTimeout)
            #expect(await answer == nil)
        }
    }

    @Test func aUserPushReachesTheAliveNodesWithSessionsOfTheUserAndCountsEverySession() async throws {
        let harness = try await ClusterHarness.make()
        let nodes = ["a", "b", "c"].map { ClusterNode(configuration: harness.configuration($0), logger: .quiet) }
        let locals = [
            RecordingInbound(userAnswer: .notFound("no session")), RecordingInbound(userAnswer: .delivered(2)),
            RecordingInbound(userAnswer: .delivered(1)),
        ]
        for (node, local) in zip(nodes, locals) { node.bind(inbound: local) }
        try await harness.run(nodes) { () async throws in
            let principal = Principal(user: "ann", expiresAt: Date().addingTimeInterval(3600))
            nodes[1].sessionOpened(SessionContext(id: "s-b1", principal: principal))
            nodes[1].sessionOpened(SessionContext(id: "s-b2", principal: principal))
            nodes[2].sessionOpened(SessionContext(id: "s-c", principal: principal))
            await nodes[1].directoryWriter.committed()
            await nodes[2].directoryWriter.committed()
            let inbound = ClusterInbound(wrapping: locals[0], node: nodes[0])

            #expect(await inbound.userPush(user: "ann", service: "svc", data: "hi", from: identity) == .delivered(3))
            #expect(await locals[1].userPushes.count == 1)
            #expect(await locals[2].userPushes.count == 1)
            #expect(await inbound.userPush(user: "bob", service: "svc", data: "hi", from: identity) == .notFound("no session"))
            #expect(await locals[1].userPushes.count == 1, "no other node has sessions of bob: none is asked")

            nodes[2].halt()
            try await harness.age("c", seconds: 10)
            #expect(await inbound.userPush(user: "ann", service: "svc", data: "again", from: identity) == .delivered(2), "a dead node is not asked")
        }
    }

    @Test func theNodeListHasEveryNodeWithItsLiveness() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a"), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b"), logger: .quiet)
        var localA = ClusterNode.Local()
        localA.sessionCount = { 7 }
        a.bind(localA)
        try await harness.run([a, b]) { () async throws in
            let listed = try await a.nodes()
            #expect(listed.map(\.id) == ["a", "b"])
            #expect(listed.allSatisfy { $0.alive })
            #expect(listed.first == NodeStatus(id: "a", url: "http://a.test", pid: Int(ProcessInfo.processInfo.processIdentifier), sessions: 7, alive: true))
            b.halt()
            try await harness.age("b", seconds: 4)
            #expect(try await a.nodes().map(\.alive) == [true, false], "a heartbeat older than \(NodeLiveness.window) is a dead node")
        }
    }
}
