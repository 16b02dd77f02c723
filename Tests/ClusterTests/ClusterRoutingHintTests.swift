import Synchronization
import Testing
import WSECore
import WSETesting

@testable import Cluster

/// The routing hint in a node's connector callback, and the count of pushes a node forwards: a push the
/// local mediator knows is never forwarded, so a correctly hinted push leaves the counter alone.
@Suite struct RoutingHintTests {
    @Test func theCallbackNamesTheNodeInAQueryParameter() {
        #expect(RoutingHint.callback("http://lb.example/connector/in/v1/events", node: "node2") == "http://lb.example/connector/in/v1/events?node=node2")
        #expect(RoutingHint.callback("http://lb.example/in?tenant=t1", node: "a.b-c_1") == "http://lb.example/in?tenant=t1&node=a.b-c_1",
                "a query the public URL already has is kept")
    }
}

@Suite(.postgresServer) struct ForwardedPushCountTests {
    let identity = ConnectorIdentity(services: ["svc"])

    @Test func onlyPushesForAProcessOfAnotherNodeAreCountedAsForwarded() async throws {
        let harness = try await ClusterHarness.make()
        let a = ClusterNode(configuration: harness.configuration("a"), logger: .quiet)
        let b = ClusterNode(configuration: harness.configuration("b"), logger: .quiet)
        let localA = RecordingInbound(processAnswer: .delivered(1))
        let localB = RecordingInbound(processAnswer: .delivered(1))
        a.bind(inbound: localA)
        b.bind(inbound: localB)
        let forwarded = ForwardCount()
        try await harness.run([a, b]) { () async throws in
            await b.processStarted(ClusterBusTests.process("p-on-b"))
            let inbound = ClusterInbound(wrapping: localA, node: a, onForward: { forwarded.add() })
            for n in 1...3 {
                #expect(await inbound.processData(pid: "p-on-a", data: .number(Double(n)), final: false, from: identity) == .delivered(1))
            }
            #expect(forwarded.value == 0, "pushes delivered here are not forwarded")
            #expect(await localB.pushes.isEmpty)

            await localA.answerProcesses(.notFound("not here"))
            #expect(await inbound.processData(pid: "p-on-b", data: 4, final: false, from: identity) == .delivered(1))
            #expect(await localB.pushes.map(\.pid) == ["p-on-b"], "node b got the push, once")
            #expect(forwarded.value == 1)

            #expect(await inbound.processData(pid: "p-nowhere", data: 5, final: false, from: identity) == .notFound("not here"))
            #expect(forwarded.value == 1, "a pid no node runs is answered here, not forwarded")
        }
    }
}

/// How often a `ClusterInbound` reported a forwarded push.
final class ForwardCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
