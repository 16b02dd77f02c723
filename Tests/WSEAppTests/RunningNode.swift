import Logging
import Prometheus
import ServiceLifecycle
import Storage
import WSETesting
@testable import WSEApp

/// Runs a node built from `configuration` (on a port the system chooses, an in-memory store) while `body` runs with
/// the node and its base URL, then shuts it down gracefully.
func withRunningNode(_ configuration: NodeConfiguration, _ body: (WSENode, String) async throws -> Void) async throws {
    var configuration = configuration
    configuration.node.port = 0
    let signal = PortSignal()
    let node = try await WSENode.build(
        configuration: configuration, store: try SQLiteStore.inMemory(), metrics: PrometheusCollectorRegistry(),
        logger: Logger(label: "test"), onServerRunning: signal.onRunning)
    let group = ServiceGroup(configuration: .init(services: node.services.map { .init(service: $0) }, logger: Logger(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { signal.continuation.finish() }
            try await group.run()
        }
        var ports = signal.ports.makeAsyncIterator()
        guard let port = await ports.next() else {
            try await tasks.waitForAll()
            throw TestFailure("the node did not start")
        }
        let scheme = configuration.node.tls == nil ? "http" : "https"
        let outcome: Result<Void, any Error>
        do {
            try await body(node, "\(scheme)://127.0.0.1:\(port)")
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        try outcome.get()
    }
}
