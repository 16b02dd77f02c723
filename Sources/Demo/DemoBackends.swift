import WSEApp
import ConnectorKit
import DemoServices
import Foundation
import Hummingbird
import IMSConnector
import LocalServers
import Logging
import PresenceServer
import SIP
import RESTConnector
import ServiceLifecycle
import WSELifecycle
import WSECore

/// Everything of the demo around its node(s): the SIP core, the demo Web services (contacts, OneAPI-style
/// location), the SMS service behind the SOAP connector, the REST and IMS connectors and the retailer's site, all on loopback; and the services and
/// page origins the node(s) must know. One node (``DemoDeployment``) or a cluster (``ClusterDemo``) sits
/// in front of them at `nodeURL`.
struct DemoBackends: Sendable {
    let connectorURL: String
    let servicesURL: String
    let retailerURL: String
    /// The services of the demo contract, as the node registers them.
    let definitions: [ServiceDefinition]
    /// The retailer whose pages may open sessions: the node's own origin and the retailer site. It is put on board
    /// (`putRetailerOnBoard`) with a client id, which the retailer site's page logs in with (its tokens' `azp`).
    let retailer: RetailerAccount
    /// The listeners' ports, held until the deployment is released.
    let reservations: [PortReservation]
    /// Everything to run, in start order.
    let services: [any Service]

    /// - Parameter tls: with `wse demo --tls`, the connectors and the retailer's site serve HTTPS with its certificate, and
    ///   the connectors' callbacks and the location service's notifications trust its CA.
    static func make(
        _ options: DemoOptions, nodeURL: String, nodePort: Int, logger: Logger, progress: @escaping @Sendable (String) -> Void,
        tls: DemoTLS? = nil
    ) async throws -> DemoBackends {
        // Every listener's port is held from now until the deployment is gone (see PortReservation).
        let servicesListener = try PortReservation(), connectorListener = try PortReservation()
        let retailerListener = try PortReservation(), imsListener = try PortReservation()
        let smsListener = try PortReservation()
        let (servicesPort, connectorPort, retailerPort, imsPort) =
            (servicesListener.port, connectorListener.port, retailerListener.port, imsListener.port)
        let imsKey = RandomID.make(prefix: "ck_", length: 32)
        let connectorKey = RandomID.make(prefix: "ck_", length: 32)
        let smsKey = RandomID.make(prefix: "ck_", length: 32)
        let scheme = tls == nil ? "http" : "https"
        let connectorURL = "\(scheme)://127.0.0.1:\(connectorPort)", servicesURL = "http://127.0.0.1:\(servicesPort)"
        let retailerURL = "\(scheme)://127.0.0.1:\(retailerPort)"
        // The location service posts notifications to the REST connector, which then serves HTTPS only.
        let notificationClient = tls?.makeHTTPClient()
        let retailer = RetailerAccount(
            id: "demo", name: "Demo retailer (Enhanced Address Book)",
            origins: [nodeURL, "\(scheme)://localhost:\(nodePort)", retailerURL] + options.extraOrigins,
            clientID: RandomID.make(prefix: "rc_", length: 22))

        let (sipCore, presence) = try await startSIPCore(options, logger: logger, progress: progress)
        let contacts = ContactsService(sipDomain: sipCore.domain)
        let location = LocationService(consent: .mutual(DemoSubscriber.seed), httpClient: notificationClient?.client ?? .shared)
        let servicesRouter = Router()
        contacts.addRoutes(to: servicesRouter)
        location.addRoutes(to: servicesRouter)
        let servicesApp = Application(
            router: servicesRouter,
            configuration: .init(address: .hostname("127.0.0.1", port: servicesPort), serverName: "wse-demo-services"),
            services: [location.subscriptionService], logger: logger)
        var restConfiguration = try restConnectorConfiguration(port: connectorPort, servicesURL: servicesURL, key: connectorKey)
        restConfiguration.tls = tls?.listener
        restConfiguration.trustedCA = tls?.trusted
        let restConnector = RESTConnector(configuration: restConfiguration, logger: logger)
        var imsConfiguration = sipCore.connectorConfiguration(listenPort: imsPort, key: imsKey)
        imsConfiguration.tls = tls?.listener
        imsConfiguration.caFile = tls?.authority.caFile
        let ims: IMSConnector
        do {
            ims = try IMSConnector(imsConfiguration, logger: logger, authorization: presence)
        } catch {
            await presence?.stop()
            throw NodeStartupError("the SIP core \(sipCore.server): \(error)")
        }
        let imsApp = IMSConnectorHTTPServer.makeApplication(connector: ims, host: "127.0.0.1", port: imsPort)
        let sms = try await DemoSMS.start(port: smsListener.port, key: smsKey, tls: tls?.listener, logger: logger, progress: progress)

        var definitions = ["contacts", "location"].map { id in
            ServiceDefinition(
                id: id, endpoint: connectorURL, connectorKey: connectorKey,
                access: AccessRule(roles: ["subscriber"]), capacity: 500, timeout: 5)
        }
        definitions.append(
            ServiceDefinition(
                id: "sip", endpoint: "\(scheme)://127.0.0.1:\(imsPort)", connectorKey: imsKey,
                access: AccessRule(roles: ["subscriber"]), capacity: 2000, timeout: 10))
        // Registered even when its server could not start: calls then answer `unavailable`.
        definitions.append(
            ServiceDefinition(
                id: "sms", endpoint: "\(scheme)://127.0.0.1:\(smsListener.port)", connectorKey: smsKey,
                access: AccessRule(roles: ["subscriber"]), capacity: 200, timeout: 15))
        definitions.append(
            ServiceDefinition(id: "eab", kind: .composed, composition: "eab", access: AccessRule(roles: ["subscriber"]), capacity: 500))
        let catalogue = try DemoCatalogue.descriptions()
        for index in definitions.indices { definitions[index].catalogue = catalogue[definitions[index].id.rawValue] }

        return DemoBackends(
            connectorURL: connectorURL, servicesURL: servicesURL, retailerURL: retailerURL, definitions: definitions,
            retailer: retailer,
            reservations: [servicesListener, connectorListener, retailerListener, imsListener, smsListener],
            // Services stop in reverse order: the location service's client after the location service.
            services: [ShutdownHook { await presence?.stop() }] + [notificationClient?.shutdown].compactMap { $0 } + [
                servicesApp, restConnector.makeApplication(), ShutdownHook { await ims.shutdown() }, imsApp,
                RetailerSite.application(
                    port: retailerPort, nodeURL: nodeURL, clientID: retailer.clientID, tls: tls?.listener, logger: logger),
            ] + (sms?.services ?? []))
    }

    /// Puts the demo's retailer on board (as `PUT /admin/v1/retailers/demo` would), so that logins from its pages
    /// naming its client id are admitted and bound to it.
    func putRetailerOnBoard(_ store: any PartyStore) async throws {
        try await store.save(
            retailer, audit: AuditEntry(at: Date(), actor: "demo", action: "retailer.create", target: retailer.id, detail: "the demo's retailer site"))
    }

    /// Stores what every node of the demo reads from its store: the subscribers and the eab composition.
    static func seed(_ store: some NodeStore, options: DemoOptions, progress: @Sendable (String) -> Void) async throws {
        progress("seeding subscribers \(DemoDeployment.users.joined(separator: ", "))")
        try await DemoSubscribers.seed(into: store, hasher: options.passwordHasher, passwordHash: options.seededPasswordHash)
        progress("storing the eab composition in the CSDR")
        _ = try await store.saveComposition(id: "eab", source: try shippedComposition("eab"))
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
        let passwords = Dictionary(uniqueKeysWithValues: DemoDeployment.users.map { ($0, RandomID.make(length: 16)) })
        let domain = DemoSubscriber.defaultSIPDomain
        // The contacts see each other; anyone else waits for the presentity's decision (`sip` action `authorize`).
        let addresses = DemoDeployment.users.map { "sip:\($0)@\(domain)" }
        let rules = Dictionary(uniqueKeysWithValues: addresses.map { presentity in
            (presentity, Dictionary(uniqueKeysWithValues: addresses.filter { $0 != presentity }.map { ($0, PresenceRule.allow) }))
        })
        let presence = PresenceServer(.init(udpPort: 0, tcpPort: 0, domain: domain, users: passwords, rules: rules), logger: logger)
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
}
