import ArgumentParser
import Foundation
import RESTConnector

/// `wse connector rest --config FILE [--port N]`: the REST connector as its own process.
struct ConnectorRESTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rest",
        abstract: "Run the REST connector: maps service actions to HTTP calls by configuration.",
        discussion: "The configuration format is in docs/REST-CONNECTOR.md; config/rest-connector.example.yaml maps the demo services."
    )

    @Option(name: .long, help: "The YAML configuration file.")
    var config: String

    @Option(name: .long, help: "Listen on this port instead of the configured one.")
    var port: Int?

    func run() async throws {
        // A ConfigurationError prints as `file:line:column: what is wrong` and exits with status 1.
        var configuration = try RESTConnectorConfiguration.load(file: config)
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            configuration.port = port
        }
        let host = configuration.host, scheme = configuration.tls == nil ? "http" : "https"
        let services = configuration.services.keys.sorted().joined(separator: ", ")
        let connector = RESTConnector(configuration: configuration)
        try await connector.makeApplication { port in
            // Written straight to the file descriptor, so that a script reading a pipe sees it at once.
            FileHandle.standardOutput.write(Data("REST connector listening on \(scheme)://\(host):\(port) (services: \(services))\n".utf8))
        }.runService()
    }
}
