import ArgumentParser
import Foundation
import SOAPConnector

/// `wse connector soap --config FILE [--port N]`: the SOAP connector as its own process.
struct ConnectorSOAPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soap",
        abstract: "Run the SOAP connector: maps service actions to operations of a WSDL (SOAP 1.1 and 1.2).",
        discussion: "The configuration format is in docs/SOAP-CONNECTOR.md; Sources/Demo/DemoResources/soap-connector.yaml maps the demo's sms service."
    )

    @Option(name: .long, help: "The YAML configuration file.")
    var config: String

    @Option(name: .long, help: "Listen on this port instead of the configured one.")
    var port: Int?

    func run() async throws {
        // A ConfigFileError prints as `file:line:column: what is wrong` and exits with status 1.
        var configuration = try await SOAPConnectorConfiguration.load(file: config)
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            configuration.port = port
        }
        let host = configuration.host, scheme = configuration.tls == nil ? "http" : "https"
        let services = configuration.services.keys.sorted().joined(separator: ", ")
        try await SOAPConnector(configuration: configuration).makeApplication { port in
            // Written straight to the file descriptor, so that a script reading a pipe sees it at once.
            FileHandle.standardOutput.write(Data("SOAP connector listening on \(scheme)://\(host):\(port) (services: \(services))\n".utf8))
        }.runService()
    }
}
