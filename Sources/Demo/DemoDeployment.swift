import WSEApp
import Foundation
import LocalServers
import Logging
import Prometheus
import ServiceLifecycle
import WSECore

/// The whole demo deployment of PROTOCOL.md's demo contract, built but not yet running: one node
/// (with its identity proxy, on SQLite) in front of the ``DemoBackends``, all on loopback.
/// `wse demo` runs it; the integration tests run it in-process.
public struct DemoDeployment: Sendable {
    public let node: WSENode
    /// The node's base URL, e.g. `http://127.0.0.1:8080`.
    public let nodeURL: String
    public let connectorURL: String
    public let servicesURL: String
    public let retailerURL: String
    public let adminToken: String
    /// The listeners' ports, held until the deployment is released.
    let reservations: [PortReservation]
    /// Everything to run, in start order.
    public let services: [any Service]

    public static let users = ["alice", "bob", "carol"]
    public static let password = "demo"

    /// Builds the deployment. `options.port` 0 picks a free port.
    /// - Parameter onReady: called once the node serves.
    public static func make(
        _ options: DemoOptions, metrics: PrometheusCollectorRegistry, logger: Logger,
        progress: @escaping @Sendable (String) -> Void = { _ in },
        onReady: @escaping @Sendable (DemoDeploymentAddresses) async -> Void = { _ in }
    ) async throws -> DemoDeployment {
        let nodeReservation = options.port == 0 ? try PortReservation() : nil
        let port = nodeReservation?.port ?? options.port
        let nodeURL = "http://127.0.0.1:\(port)"
        let backends = try await DemoBackends.make(options, nodeURL: nodeURL, nodePort: port, logger: logger, progress: progress)
        let adminToken = RandomID.make(prefix: "adm_", length: 32)
        let addresses = DemoDeploymentAddresses(
            nodeURL: nodeURL, connectorURL: backends.connectorURL, servicesURL: backends.servicesURL,
            retailerURL: backends.retailerURL, adminToken: adminToken)

        var configuration = NodeConfiguration()
        configuration.node.port = port
        configuration.node.database = try options.database ?? freshDatabasePath()
        configuration.admin.token = adminToken
        configuration.sessions.maxPerUser = options.maxSessionsPerUser
        configuration.services = backends.definitions

        let store = try NodeRunner.openStore(configuration.node.database)
        let database = configuration.node.database
        try await DemoBackends.seed(store, options: options, progress: { progress("\($0) in \(database)") })
        try await backends.putRetailerOnBoard(store)
        let node = try await WSENode.build(
            configuration: configuration, store: store, metrics: metrics, logger: logger, passwordHasher: options.passwordHasher,
            onServerRunning: { _ in await onReady(addresses) })
        return DemoDeployment(
            node: node, nodeURL: nodeURL, connectorURL: backends.connectorURL, servicesURL: backends.servicesURL,
            retailerURL: backends.retailerURL, adminToken: adminToken,
            reservations: [nodeReservation].compactMap { $0 } + backends.reservations,
            services: backends.services + node.services)
    }

    static func freshDatabasePath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-demo-\(getpid())-\(RandomID.make(length: 6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("wse.sqlite").path
    }
}

/// Where the demo's listeners are.
public struct DemoDeploymentAddresses: Sendable {
    public let nodeURL: String
    public let connectorURL: String
    public let servicesURL: String
    /// The retailer's site with the Enhanced Address Book page.
    public let retailerURL: String
    public let adminToken: String
}
