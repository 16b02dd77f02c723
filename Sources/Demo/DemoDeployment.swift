import WSEApp
import DemoServices
import Foundation
import Hummingbird
import IMSConnector
import IdentityProxy
import Logging
import PresenceServer
import Prometheus
import RESTConnector
import ServiceLifecycle
import WSELifecycle
import WSECore

/// The whole demo deployment of PROTOCOL.md's demo contract, built but not yet running:
/// the node (with its identity proxy), the REST connector and the demo Web services
/// (contacts, OneAPI-style location), all on loopback. `wse demo` runs it; the
/// integration tests run it in-process.
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
        // Every listener's port is held from now until the deployment is gone (see PortReservation).
        let nodeReservation = options.port == 0 ? try PortReservation() : nil
        let servicesListener = try PortReservation(), connectorListener = try PortReservation()
        let retailerListener = try PortReservation(), imsListener = try PortReservation()
        let smsListener = try PortReservation()
        let port = nodeReservation?.port ?? options.port
        let (servicesPort, connectorPort, retailerPort, imsPort) =
            (servicesListener.port, connectorListener.port, retailerListener.port, imsListener.port)
        let imsKey = RandomID.make(prefix: "ck_", length: 32)
        let connectorKey = RandomID.make(prefix: "ck_", length: 32)
        let adminToken = RandomID.make(prefix: "adm_", length: 32)
        let smsKey = RandomID.make(prefix: "ck_", length: 32)
        let addresses = DemoDeploymentAddresses(
            nodeURL: "http://127.0.0.1:\(port)", connectorURL: "http://127.0.0.1:\(connectorPort)",
            servicesURL: "http://127.0.0.1:\(servicesPort)", retailerURL: "http://127.0.0.1:\(retailerPort)",
            adminToken: adminToken)

        let (sipCore, presence) = try await startSIPCore(options, logger: logger, progress: progress)
        let contacts = ContactsService(sipDomain: sipCore.domain)
        let location = LocationService()
        let servicesRouter = Router()
        contacts.addRoutes(to: servicesRouter)
        location.addRoutes(to: servicesRouter)
        let servicesApp = Application(
            router: servicesRouter,
            configuration: .init(address: .hostname("127.0.0.1", port: servicesPort), serverName: "wse-demo-services"),
            services: [location.subscriptionService], logger: logger)
        let restConnector = RESTConnector(
            configuration: try restConnectorConfiguration(port: connectorPort, servicesURL: addresses.servicesURL, key: connectorKey),
            logger: logger)
        let ims: IMSConnector
        do {
            ims = try IMSConnector(sipCore.connectorConfiguration(listenPort: imsPort, key: imsKey), logger: logger)
        } catch {
            await presence?.stop()
            throw NodeStartupError("the SIP core \(sipCore.server): \(error)")
        }
        let imsApp = IMSConnectorHTTPServer.makeApplication(connector: ims, host: "127.0.0.1", port: imsPort)
        let sms = try await DemoSMS.start(port: smsListener.port, key: smsKey, logger: logger, progress: progress)

        var configuration = NodeConfiguration()
        configuration.node.port = port
        configuration.node.database = try options.database ?? freshDatabasePath()
        configuration.admin.token = adminToken
        configuration.sessions.retailers = [
            .init(id: "demo", origins: [addresses.nodeURL, "http://localhost:\(port)", addresses.retailerURL] + options.extraOrigins)
        ]
        configuration.services = ["contacts", "location"].map { id in
            ServiceDefinition(
                id: id, endpoint: addresses.connectorURL, connectorKey: connectorKey,
                access: AccessRule(roles: ["subscriber"]), capacity: 500, timeout: 5)
        }
        configuration.services.append(
            ServiceDefinition(
                id: "sip", endpoint: "http://127.0.0.1:\(imsPort)", connectorKey: imsKey,
                access: AccessRule(roles: ["subscriber"]), capacity: 2000, timeout: 10))
        // Registered even when its server could not start: calls then answer `unavailable`.
        configuration.services.append(
            ServiceDefinition(
                id: "sms", endpoint: "http://127.0.0.1:\(smsListener.port)", connectorKey: smsKey,
                access: AccessRule(roles: ["subscriber"]), capacity: 200, timeout: 15))
        configuration.services.append(
            ServiceDefinition(id: "eab", kind: .composed, composition: "eab", access: AccessRule(roles: ["subscriber"]), capacity: 500))

        progress("seeding subscribers \(users.joined(separator: ", ")) in \(configuration.node.database)")
        let store = try NodeRunner.openStore(configuration.node.database)
        try await DemoSubscribers.seed(into: store, hasher: options.passwordHasher, passwordHash: options.seededPasswordHash)
        progress("storing the eab composition in the CSDR")
        _ = try await store.saveComposition(id: "eab", source: try shippedComposition("eab"))
        let node = try await WSENode.build(
            configuration: configuration, store: store, metrics: metrics, logger: logger, passwordHasher: options.passwordHasher,
            onServerRunning: { _ in await onReady(addresses) })
        return DemoDeployment(
            node: node, nodeURL: addresses.nodeURL, connectorURL: addresses.connectorURL, servicesURL: addresses.servicesURL,
            retailerURL: addresses.retailerURL, adminToken: adminToken,
            reservations: [nodeReservation, servicesListener, connectorListener, retailerListener, imsListener, smsListener].compactMap { $0 },
            services: [
                ShutdownHook { await presence?.stop() }, servicesApp, restConnector.makeApplication(),
                ShutdownHook { await ims.shutdown() }, imsApp,
                RetailerSite.application(port: retailerPort, nodeURL: addresses.nodeURL, logger: logger),
            ] + (sms?.services ?? []) + node.services)
    }

    /// The SIP core of `options`, or else the embedded presence server, started, with fresh passwords.
    static func startSIPCore(
        _ options: DemoOptions, logger: Logger, progress: @Sendable (String) -> Void
    ) async throws -> (DemoSIPCore, PresenceServer?) {
        if let external = options.sipCore {
            progress("using the SIP core at \(external.server) for sip:USER@\(external.domain) (no embedded presence server)")
            return (external, nil)
        }
        progress("starting the embedded presence server (registrar, presence, MESSAGE relay)")
        let passwords = Dictionary(uniqueKeysWithValues: users.map { ($0, RandomID.make(length: 16)) })
        let domain = DemoSubscriber.defaultSIPDomain
        let presence = PresenceServer(.init(udpPort: 0, tcpPort: 0, domain: domain, users: passwords), logger: logger)
        try await presence.start()
        guard let port = await presence.udpAddress?.port else {
            await presence.stop()
            throw NodeStartupError("the presence server did not bind a UDP port")
        }
        return (DemoSIPCore(transport: "udp", host: "127.0.0.1", port: port, domain: domain, passwords: passwords), presence)
    }

    static func restConnectorConfiguration(port: Int, servicesURL: String, key: String) throws -> RESTConnectorConfiguration {
        guard let url = Bundle.module.url(forResource: "rest-connector", withExtension: "yaml", subdirectory: "DemoResources") else {
            throw NodeStartupError("the demo's REST connector configuration is missing from the installation")
        }
        var configuration = try RESTConnectorConfiguration.load(file: url.path, environment: ["WSE_REST_CONNECTOR_KEY": key])
        configuration.port = port
        for id in configuration.services.keys {
            configuration.services[id]?.baseURL = servicesURL
        }
        return configuration
    }

    /// The Orc source of a composition shipped in `DemoResources/compositions`.
    static func shippedComposition(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "orc", subdirectory: "DemoResources/compositions") else {
            throw NodeStartupError("the demo's composition \(name).orc is missing from the installation")
        }
        return try String(contentsOf: url, encoding: .utf8)
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
