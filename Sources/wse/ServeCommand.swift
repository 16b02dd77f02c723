import ArgumentParser
import Logging
import WSEApp

/// `wse serve`: one WSE node from a configuration file.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a WSE node from a configuration file.",
        discussion: """
            The node serves HTTP and the browsers' WebSocket (/wse) on one port: the identity proxy
            (/idp), connector IN, the admin API, /metrics and /healthz. Start from the commented example:

              wse serve --config config/node.example.yaml

            A configuration error is reported as file:line:column with what to change.
            SIGTERM or Ctrl-C closes every session with 1001 and stops.
            """
    )

    @Option(name: .shortAndLong, help: "The node's configuration file (YAML or JSON).")
    var config: String

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        try await NodeRunner.serve(configurationFile: config, logLevel: logLevel)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
