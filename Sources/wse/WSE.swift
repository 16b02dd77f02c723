import Demo
import ArgumentParser

/// The `wse` command: every process of a WSE deployment is one of its subcommands.
@main
struct WSE: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wse",
        abstract: "WSE, the WebSocket Enabler: telecom (SIP/IMS) and Web services for web pages, through one WebSocket.",
        discussion: """
            Start with `wse demo`: one node with its identity proxy, connectors and demo services,
            on embedded SQLite, at http://127.0.0.1:8080.
            """,
        subcommands: [DemoCommand.self, ServeCommand.self, ConnectorCommand.self, IMSCommand.self, OrcCommand.self, SIPCommand.self, KeysCommand.self,
                      SubscribersCommand.self]
    )
}
