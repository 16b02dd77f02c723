import ArgumentParser

/// `wse connector <kind>`: service connectors run as their own processes and speak
/// connector OUT/IN (PROTOCOL.md) with a node.
struct ConnectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connector",
        abstract: "Run a service connector as its own process.",
        subcommands: [ConnectorRESTCommand.self, ConnectorSIPCommand.self, ConnectorSOAPCommand.self]
    )
}
