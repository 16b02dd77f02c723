import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Testing
import WSEApp
import WSETesting

/// A node whose `node.database` is a real PostgreSQL server: it migrates, serves, and finds its state there after a restart.
@Suite(.postgresServer) struct NodeOnPostgresTests {
    @Test func aNodeOnPostgreSQLServesAndFindsItsKeysAndAdminTokenAgainAfterARestart() async throws {
        let server = try PostgresTestServer.require()
        var configuration = NodeConfiguration()
        configuration.node.port = 0
        configuration.node.database = server.url(of: try await server.makeDatabase())

        let (firstToken, firstWasNew, firstKeys) = try await Self.withRunningNode(configuration) { node, url in
            #expect(try await httpCall("GET", "\(url)/healthz").0 == 200)
            return (node.adminToken, node.adminTokenIsNew, try await httpCall("GET", "\(url)/idp/jwks.json").1)
        }
        let (secondToken, secondWasNew, secondKeys) = try await Self.withRunningNode(configuration) { node, url in
            (node.adminToken, node.adminTokenIsNew, try await httpCall("GET", "\(url)/idp/jwks.json").1)
        }
        #expect(firstWasNew && !secondWasNew)
        #expect(firstToken == secondToken)
        #expect(firstKeys.contains("\"keys\"") && firstKeys == secondKeys, "the signing key is kept in PostgreSQL")
    }

    /// Opens the store as `wse serve` does, runs a node on it while `body` runs, then stops it as SIGTERM would.
    static func withRunningNode<Result: Sendable>(
        _ configuration: NodeConfiguration, _ body: @Sendable (WSENode, String) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "wse.integration")
        logger.logLevel = .warning
        return try await NodeRunner.withStore(configuration.node.database, logger: logger) { store in
            let signal = PortSignal()
            let node = try await WSENode.build(
                configuration: configuration, store: store, metrics: PrometheusCollectorRegistry(), logger: logger,
                passwordHasher: integrationHasher, onServerRunning: signal.onRunning)
            let group = ServiceGroup(configuration: .init(services: node.services.map { .init(service: $0) }, logger: logger))
            return try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    defer { signal.continuation.finish() }
                    try await group.run()
                }
                var ports = signal.ports.makeAsyncIterator()
                guard let port = await ports.next() else {
                    try await tasks.waitForAll()
                    throw TestFailure("the node stopped before it served")
                }
                let result: Swift.Result<Result, any Error>
                do {
                    result = .success(try await body(node, "http://127.0.0.1:\(port)"))
                } catch {
                    result = .failure(error)
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return try result.get()
            }
        }
    }
}
