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
    /// The node's base URL, e.g. `http://127.0.0.1:8080` (`https://` with `options.tls`).
    public let nodeURL: String
    public let connectorURL: String
    public let servicesURL: String
    public let retailerURL: String
    public let adminToken: String
    /// With `options.tls`: the CA file clients trust (`curl --cacert`); nil: plain HTTP.
    public let caFile: String?
    /// With `options.tls`: the pin of the server certificate's key, for Chromium's `--ignore-certificate-errors-spki-list`.
    public let serverKeyPin: String?
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
        let (database, tls) = try localFiles(options, progress: progress)
        let nodeURL = "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)"
        let backends = try await DemoBackends.make(options, nodeURL: nodeURL, nodePort: port, logger: logger, progress: progress, tls: tls)
        let adminToken = RandomID.make(prefix: "adm_", length: 32)
        let addresses = DemoDeploymentAddresses(
            nodeURL: nodeURL, connectorURL: backends.connectorURL, servicesURL: backends.servicesURL,
            retailerURL: backends.retailerURL, adminToken: adminToken, caFile: tls?.authority.caFile,
            serverKeyPin: tls?.authority.serverKeyPin)

        var configuration = NodeConfiguration()
        configuration.node.port = port
        configuration.node.database = database
        if let tls {
            configuration.node.tls = .init(certificate: tls.listener.certificate, key: tls.listener.key)
            configuration.connectorOut.caFile = tls.authority.caFile
        }
        configuration.admin.token = adminToken
        configuration.sessions.maxPerUser = options.maxSessionsPerUser
        configuration.services = backends.definitions

        let store = try NodeRunner.openStore(database)
        try await DemoBackends.seed(store, options: options, progress: { progress("\($0) in \(database)") })
        try await backends.putRetailerOnBoard(store)
        let node = try await WSENode.build(
            configuration: configuration, store: store, metrics: metrics, logger: logger, passwordHasher: options.passwordHasher,
            onServerRunning: { _ in await onReady(addresses) })
        return DemoDeployment(
            node: node, nodeURL: nodeURL, connectorURL: backends.connectorURL, servicesURL: backends.servicesURL,
            retailerURL: backends.retailerURL, adminToken: adminToken, caFile: addresses.caFile, serverKeyPin: addresses.serverKeyPin,
            reservations: [nodeReservation].compactMap { $0 } + backends.reservations,
            services: backends.services + node.services)
    }

    /// The node's SQLite file and, with `--tls`, the certificates: in a fresh temporary folder, made when either
    /// goes there (`--database` names a file of the user's).
    static func localFiles(_ options: DemoOptions, progress: @Sendable (String) -> Void) throws -> (database: String, tls: DemoTLS?) {
        if let database = options.database, !options.tls { return (database, nil) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-demo-\(getpid())-\(RandomID.make(length: 6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var tls: DemoTLS?
        if options.tls {
            progress("making a certificate authority and a certificate for localhost and 127.0.0.1 in \(folder.path)")
            tls = try DemoTLS(folder: folder.path)
        }
        return (options.database ?? folder.appendingPathComponent("wse.sqlite").path, tls)
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
    /// With `--tls`: the CA certificate file that clients trust (`curl --cacert`).
    public var caFile: String? = nil
    /// With `--tls`: the base64 SHA-256 of the server certificate's public key (Chromium's SPKI pin).
    public var serverKeyPin: String? = nil
}
