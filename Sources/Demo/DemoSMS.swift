import ConnectorKit
import DemoServices
import Foundation
import Logging
import SOAPConnector
import ServiceLifecycle
import WSEApp
import WSECore
import WSELifecycle

/// The demo's `sms` service (PROTOCOL.md 1.1): the Parlay X SMS server (Python, spyne) as a
/// child process, and the SOAP connector in front of it, configured by
/// `DemoResources/soap-connector.yaml` with a fresh WS-Security password.
struct DemoSMS: Sendable {
    let server: ParlayXSMSServer
    let connector: SOAPConnector

    /// Starts both; nil, after saying what to install, when Python or spyne is missing: the rest
    /// of the demo runs without it and the node answers `sms` calls with `unavailable`.
    static func start(port: Int, key: String, tls: ListenerTLS? = nil, logger: Logger, progress: @Sendable (String) -> Void) async throws -> DemoSMS? {
        progress("starting the Parlay X SMS server (Python, spyne) for the sms service")
        let password = RandomID.make(length: 24)
        let server: ParlayXSMSServer
        do {
            server = try await ParlayXSMSServer.start(credentials: ("wse", password))
        } catch {
            progress("the sms service is unavailable: \(error.message). The rest of the demo runs; sms requests answer unavailable.")
            return nil
        }
        guard let file = Bundle.module.url(forResource: "soap-connector", withExtension: "yaml", subdirectory: "DemoResources") else {
            await server.stop()
            throw NodeStartupError("the demo's SOAP connector configuration is missing from the installation")
        }
        var configuration: SOAPConnectorConfiguration
        do {
            configuration = try await SOAPConnectorConfiguration.load(
                file: file.path, environment: ["WSE_SOAP_CONNECTOR_KEY": key, "WSE_SMS_WSDL": server.wsdlURL, "WSE_SMS_PASSWORD": password])
        } catch {
            await server.stop()
            throw NodeStartupError("the demo's SOAP connector configuration: \(error)")
        }
        configuration.port = port
        configuration.tls = tls
        progress("SOAP connector for sms on \(tls == nil ? "http" : "https")://127.0.0.1:\(port), calling the Parlay X SMS server at \(server.url)")
        return DemoSMS(server: server, connector: SOAPConnector(configuration: configuration, logger: logger))
    }

    /// The connector's listener, and the server's stop when the deployment stops.
    var services: [any Service] { [ShutdownHook { [server] in await server.stop() }, connector.makeApplication()] }
}
