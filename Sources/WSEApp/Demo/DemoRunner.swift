import DemoServices
import Foundation
import Hummingbird
import IdentityProxy
import Logging
import RESTConnector
import ServiceLifecycle
import WSECore

/// `wse demo`: a whole WSE deployment in one process on loopback, on embedded SQLite —
/// the node (with its identity proxy), the REST connector, and the demo Web services
/// (contacts, OneAPI-style location). Follows PROTOCOL.md's demo contract.
public enum DemoRunner {
    static let demoUsers = ["alice", "bob", "carol"]
    static let demoPassword = "demo"

    public static func run(_ options: DemoOptions) async throws {
        let metrics = NodeRunner.bootstrapObservability(logLevel: options.logLevel)
        let logger = Logger(label: "wse.demo")
        progress("starting the WSE demo")

        let servicesPort = try FreePort.find()
        let connectorPort = try FreePort.find()
        let connectorKey = RandomID.make(prefix: "ck_", length: 32)
        let adminToken = RandomID.make(prefix: "adm_", length: 32)

        let contacts = ContactsService()
        let location = LocationService()
        let servicesRouter = Router()
        contacts.addRoutes(to: servicesRouter)
        location.addRoutes(to: servicesRouter)
        let servicesApp = Application(
            router: servicesRouter,
            configuration: .init(address: .hostname("127.0.0.1", port: servicesPort), serverName: "wse-demo-services"),
            services: [location.subscriptionService], logger: logger)

        let restConnector = RESTConnector(
            configuration: try restConnectorConfiguration(port: connectorPort, servicesPort: servicesPort, key: connectorKey),
            logger: logger)

        let nodeURL = "http://127.0.0.1:\(options.port)"
        var configuration = NodeConfiguration()
        configuration.node.port = options.port
        configuration.node.database = try options.database ?? freshDatabasePath()
        configuration.admin.token = adminToken
        configuration.sessions.retailers = [.init(id: "demo", origins: [nodeURL, "http://localhost:\(options.port)"] + options.extraOrigins)]
        configuration.services = ["contacts", "location"].map { id in
            ServiceDefinition(
                id: id, endpoint: "http://127.0.0.1:\(connectorPort)", connectorKey: connectorKey,
                access: AccessRule(roles: ["subscriber"]), capacity: 500, timeout: 5)
        }

        progress("seeding subscribers \(demoUsers.joined(separator: ", ")) in \(configuration.node.database)")
        let store = try NodeRunner.openStore(configuration.node.database)
        try await DemoSubscribers.seed(into: store)
        let node = try await WSENode.build(
            configuration: configuration, store: store, metrics: metrics, logger: logger,
            onServerRunning: { port in
                printBanner(
                    nodeURL: "http://127.0.0.1:\(port)", servicesPort: servicesPort, connectorPort: connectorPort, adminToken: adminToken)
            })
        try await NodeRunner.run(
            [servicesApp, restConnector.makeApplication()] + node.services, logger: logger)
    }

    static func restConnectorConfiguration(port: Int, servicesPort: Int, key: String) throws -> RESTConnectorConfiguration {
        guard let url = Bundle.module.url(forResource: "rest-connector", withExtension: "yaml", subdirectory: "DemoResources") else {
            throw NodeStartupError("the demo's REST connector configuration is missing from the installation")
        }
        var configuration = try RESTConnectorConfiguration.load(file: url.path, environment: ["WSE_REST_CONNECTOR_KEY": key])
        configuration.port = port
        for id in configuration.services.keys {
            configuration.services[id]?.baseURL = "http://127.0.0.1:\(servicesPort)"
        }
        return configuration
    }

    static func freshDatabasePath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-demo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("wse.sqlite").path
    }

    static func progress(_ line: String) {
        say("==> \(line)")
    }

    static func printBanner(nodeURL: String, servicesPort: Int, connectorPort: Int, adminToken token: String) {
        say("""

            WSE demo is ready.
              node (HTTP + WebSocket)  \(nodeURL)        WebSocket: \(nodeURL.replacingOccurrences(of: "http", with: "ws"))/wse
              identity proxy           \(nodeURL)/idp/token   (POST {"username","password"})
              browser library          \(nodeURL)/js/wse.js
              metrics                  \(nodeURL)/metrics
              REST connector           http://127.0.0.1:\(connectorPort)
              demo Web services        http://127.0.0.1:\(servicesPort)/contacts/v1  /location/v1
              logins                   \(demoUsers.joined(separator: ", ")) — password "\(demoPassword)" (demo only)
              admin token              \(token)   (Authorization: Bearer …, for /admin/v1 and /orchestrator/v1)
            Press Ctrl-C to stop.
            """)
    }
}
