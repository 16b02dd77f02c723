import Foundation
import LocalServers
import Logging
import ServiceLifecycle
import Testing
import Demo
import WSEApp
import WSETesting

/// The `wse` program the cluster's nodes run: the one `swift build` made beside these tests.
func builtWSEExecutable() throws -> String {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for configuration in ["debug", "release"] {
        let path = repository.appendingPathComponent(".build/\(configuration)/wse").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw TestFailure("the cluster tests run the wse program as node processes, and .build/debug/wse is missing: run `swift build` first")
}

/// `wse demo --cluster nodes` as the command runs it (PostgreSQL, node processes, nginx), on a reserved port,
/// for the length of `body`; everything it started is stopped after. `adjusting` changes the demo's options
/// (e.g. lifts `maxSessionsPerUser` for tests that hold many sessions).
func withRunningClusterDemo(
    nodes: Int, adjusting: (inout DemoOptions) -> Void = { _ in }, _ body: @Sendable (ClusterDemo.Running) async throws -> Void
) async throws {
    var logger = Logger(label: "wse.integration.cluster")
    logger.logLevel = .warning
    // nginx binds with SO_REUSEADDR, so the port stays reserved while it listens.
    let reservation = try PortReservation()
    var options = DemoOptions()
    options.port = reservation.port
    options.extraOrigins = [testClientOrigin]
    options.passwordHasher = integrationHasher
    options.seededPasswordHash = try await demoPasswordHash.value
    options.logLevel = .warning
    adjusting(&options)
    let running = try await ClusterDemo.start(options, nodes: nodes, executable: try builtWSEExecutable(), logger: logger, progress: { _ in })
    let group = ServiceGroup(configuration: .init(services: running.services.map { .init(service: $0) }, logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            try await body(running)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
    withExtendedLifetime(reservation) {}
}

extension ClusterDemo.Running {
    /// Registers a service of the test (`definition`, its JSON) through nginx with the admin token, then waits
    /// until every node serves it: a change made through one node reaches the others by the change feed.
    func registerService(_ id: String, _ definition: String, within limit: Duration = .seconds(2)) async throws {
        let admin = ["authorization": "Bearer \(addresses.adminToken)"]
        let (status, answer) = try await httpCall("PUT", "\(addresses.nodeURL)/admin/v1/services/\(id)", body: definition, headers: admin)
        #expect(status == 201, "registering the test's service: \(answer)")
        for node in nodeProcesses {
            try await eventually("\(node.id) knows the service", within: limit) {
                try await httpCall("GET", "\(node.url)/admin/v1/services/\(id)", headers: admin).0 == 200
            }
        }
    }
}
