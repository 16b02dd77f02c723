import WSEApp
import Foundation
import LocalServers
import Logging
import ServiceLifecycle
import WSELifecycle
import WSECore

/// `wse demo --cluster N`: the demo contract served by N node processes sharing a real PostgreSQL,
/// behind nginx on the demo's port, in front of the same ``DemoBackends`` as the one-node demo.
///
/// Each node is a separate OS process (`wse serve`), so that one can be killed; PostgreSQL (`initdb`/`pg_ctl`
/// into a temporary folder) and nginx are started and stopped by PID. See docs/CLUSTER.md.
public enum ClusterDemo {
    /// What the demo started besides its in-process services.
    public struct Running: Sendable {
        public let postgres: LocalPostgres
        let nodes: [ClusterDemoNode]
        public let nginx: LocalNginx
        public let addresses: DemoDeploymentAddresses
        /// The in-process services to run (the backends); their shutdown also stops nginx, the nodes and PostgreSQL.
        public let services: [any Service]

        /// Each node's id, URL and process id.
        public var nodeProcesses: [(id: String, url: String, pid: pid_t)] { nodes.map { ($0.id, $0.url, $0.process.pid) } }
    }

    /// Builds and starts the cluster, then runs until SIGINT/SIGTERM.
    /// - Parameter executable: the `wse` program the nodes run (`wse serve --config FILE`).
    public static func run(_ options: DemoOptions, nodes count: Int, executable: String) async throws {
        _ = NodeRunner.bootstrapObservability(logLevel: options.logLevel)
        let logger = Logger(label: "wse.demo")
        say("==> starting the WSE demo as a cluster of \(count) nodes behind nginx, on PostgreSQL")
        let running = try await start(options, nodes: count, executable: executable, logger: logger) { say("==> \($0)") }
        DemoRunner.printBanner(running.addresses)
        say("  nodes (separate processes: `kill -9 PID` one, and its clients resume on another):")
        for node in running.nodes {
            say("    \(node.id)  \(node.url)  pid \(node.process.pid)  log \(node.process.outputPath)")
        }
        say("  PostgreSQL \(running.postgres.url())  pid \(running.postgres.pid);  nginx pid \(running.nginx.pid)")
        try await NodeRunner.run(running.services, logger: logger)
    }

    /// Starts PostgreSQL, the backends (not yet running), the nodes and nginx; the caller runs `services`.
    public static func start(
        _ options: DemoOptions, nodes count: Int, executable: String, logger: Logger, progress: @escaping @Sendable (String) -> Void
    ) async throws -> Running {
        try checkInstalled()
        let publicURL = "http://127.0.0.1:\(options.port)"
        progress("starting PostgreSQL (initdb and pg_ctl into a temporary folder)")
        let postgres = try await LocalPostgres.start()
        var nodes: [ClusterDemoNode] = []
        do {
            let database = postgres.url()
            try await NodeRunner.withStore(database, logger: logger) { store in
                try await DemoBackends.seed(store, options: options, progress: { progress("\($0) in \(database)") })
            }
            let backends = try await DemoBackends.make(options, nodeURL: publicURL, nodePort: options.port, logger: logger, progress: progress)
            try await NodeRunner.withStore(database, logger: logger) { try await backends.putRetailerOnBoard($0) }
            let adminToken = RandomID.make(prefix: "adm_", length: 32)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-cluster-\(getpid())-\(RandomID.make(length: 6))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for index in 1...count {
                let reservation = try PortReservation()
                let file = ClusterNodeFile(
                    node: .init(id: "node\(index)", port: reservation.port, publicURL: publicURL, database: database),
                    sessions: .init(
                        store: options.clusterSessionStore, maxPerUser: options.maxSessionsPerUser,
                        retailers: []),  // the demo's retailer is on board, in the store
                    admin: .init(token: adminToken), services: backends.definitions)
                progress("starting node \(index) of \(count) on port \(reservation.port)")
                nodes.append(try await ClusterDemoNode.start(
                    id: "node\(index)", file: file, folder: folder, reservation: reservation, executable: executable, logLevel: options.logLevel))
            }
            progress("starting nginx on \(publicURL) (least_conn over \(count) nodes)")
            let nginx = try await LocalNginx.start(
                configuration: try nginxConfiguration(port: options.port, nodes: nodes.map { (id: $0.id, port: $0.port) }), port: options.port)
            let started = nodes
            let stopProcesses = ShutdownHook {
                await nginx.stop()
                await withTaskGroup(of: Void.self) { group in
                    for node in started { group.addTask { await node.stop() } }
                }
                await postgres.stop()
            }
            return Running(
                postgres: postgres, nodes: nodes, nginx: nginx,
                addresses: DemoDeploymentAddresses(
                    nodeURL: publicURL, connectorURL: backends.connectorURL, servicesURL: backends.servicesURL,
                    retailerURL: backends.retailerURL, adminToken: adminToken),
                // Services stop in reverse order: the backends first, then nginx, the nodes and PostgreSQL.
                services: [stopProcesses] + backends.services)
        } catch {
            for node in nodes { await node.stop() }
            await postgres.stop()
            throw error
        }
    }

    /// Says which Debian packages to install before anything is started.
    static func checkInstalled() throws {
        var missing: [String] = []
        if !LocalPostgres.isInstalled { missing.append("postgresql") }
        if !LocalNginx.isInstalled { missing.append("nginx") }
        guard missing.isEmpty else {
            throw NodeStartupError(
                "wse demo --cluster runs a real PostgreSQL and nginx, and \(missing.joined(separator: " and ")) is missing: "
                    + "install with `apt-get install \(missing.joined(separator: " "))` (or run plain `wse demo`, which needs nothing)")
        }
    }

    /// The shipped nginx configuration (DemoResources/nginx-cluster.conf) on `port` for nodes on loopback, each named by
    /// its `node.id` (the routing hint of its connector callbacks).
    public static func nginxConfiguration(port: Int, nodes: [(id: String, port: Int)]) throws -> String {
        guard let url = Bundle.module.url(forResource: "nginx-cluster", withExtension: "conf", subdirectory: "DemoResources") else {
            throw NodeStartupError("the demo's nginx configuration is missing from the installation")
        }
        func server(_ node: (id: String, port: Int)) -> String { "server 127.0.0.1:\(node.port) max_fails=1 fail_timeout=5s" }
        let servers = nodes.map { server($0) + ";" }.joined(separator: "\n        ")
        let hints = nodes.map { "\($0.id) wse_node_\($0.id);" }.joined(separator: "\n        ")
        // Each node first, the others as backups (a stale hint still reaches a live node).
        let upstreams = nodes.map { node -> String in
            let backups = nodes.filter { $0.id != node.id }.map { "\n        " + server($0) + " backup;" }.joined()
            return "upstream wse_node_\(node.id) {\n        \(server(node));\(backups)\n        keepalive 32;\n    }"
        }.joined(separator: "\n    ")
        return try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "@LISTEN@", with: "127.0.0.1:\(port)")
            .replacingOccurrences(of: "@NODES@", with: servers)
            .replacingOccurrences(of: "@HINTS@", with: hints)
            .replacingOccurrences(of: "@NODE_UPSTREAMS@", with: upstreams)
    }
}
