import Logging
import Prometheus
import ServiceLifecycle
import Storage
import Testing
import WSEApp

/// A node's parts live as long as the node and no longer: after its service group has stopped and
/// the node is dropped, nothing keeps them alive (no reference cycle between the components it wires).
@Suite struct NodeLifecycleTests {
    /// Weak references to the parts of a node, read after the node is gone.
    final class Parts: @unchecked Sendable {
        weak var connections: AnyObject?
        weak var mediator: AnyObject?
        weak var orchestrator: AnyObject?
        weak var registry: AnyObject?
    }

    @Test func aStoppedNodeIsReleased() async throws {
        let parts = Parts()
        try await runAndStop(parts)
        #expect(parts.connections == nil, "the connection manager outlived its node")
        #expect(parts.mediator == nil, "the mediator outlived its node")
        #expect(parts.orchestrator == nil, "the orchestrator outlived its node")
        #expect(parts.registry == nil, "the service registry outlived its node")
    }

    /// Builds a node on port 0, runs it until it serves, shuts it down gracefully, and drops it.
    private func runAndStop(_ parts: Parts) async throws {
        var configuration = NodeConfiguration()
        configuration.node.port = 0
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Int.self)
        let node = try await WSENode.build(
            configuration: configuration, store: try SQLiteStore.inMemory(), metrics: PrometheusCollectorRegistry(),
            logger: Logger(label: "test"), onServerRunning: { readyContinuation.yield($0) })
        parts.connections = node.connections
        parts.mediator = node.mediator
        parts.orchestrator = node.orchestrator
        parts.registry = node.registry
        let group = ServiceGroup(configuration: .init(services: node.services.map { .init(service: $0) }, logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for await _ in ready { break }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
