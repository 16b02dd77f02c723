import ArgumentParser
import Foundation
import IMSConnector

/// `wse connector sip --config FILE`: the IMS connector as its own process.
struct ConnectorSIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sip", abstract: "Run the SIP/IMS connector: one SIP user agent per WSE user.",
        discussion: "The configuration (YAML, or JSON for a .json file) is described in docs/SIP.md.")

    @Option(help: "The connector's configuration file.")
    var config: String

    func run() async throws {
        let configuration = try IMSConnectorConfiguration.load(path: config)  // file:line:column: what is wrong
        let connector = try IMSConnector(configuration)
        try await IMSConnectorHTTPServer.run(connector: connector, host: configuration.listen.host,
                                             port: configuration.listen.port) { port in
            let scheme = configuration.tls == nil ? "http" : "https"
            let ready = "wse connector sip: listening on \(scheme)://\(configuration.listen.host):\(port)/v1/requests, SIP server "
                  + "\(configuration.sip.server.transport):\(configuration.sip.server.host):\(configuration.sip.server.port)\n"
            FileHandle.standardOutput.write(Data(ready.utf8))
        }
    }
}
