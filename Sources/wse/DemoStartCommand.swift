import ArgumentParser
import Logging
import WSEApp

/// `wse demo start` (what `wse demo` runs): the whole system on one machine, nothing else to install.
struct DemoStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run the whole demo on one machine: node, identity proxy, connectors, demo services (the default of `wse demo`).",
        discussion: """
            Starts a WSE node on http://127.0.0.1:8080 on embedded SQLite, with the REST connector \
            and the demo Web services (contacts, OneAPI-style location), seeds the subscribers \
            alice, bob and carol (password "demo"), and prints every URL and the admin token. \
            Try it from a shell:

              curl -s -X POST localhost:8080/idp/token -d '{"username":"alice","password":"demo"}'

            Then make the contacts live with `wse demo drive` in another terminal.
            """
    )

    @Option(help: "The node's port.")
    var port: Int = 8080

    @Option(help: "The SQLite file to use (default: a fresh one in the temporary folder).")
    var database: String?

    @Option(name: .customLong("allow-origin"), help: "Also admit pages from this origin (repeatable), e.g. http://127.0.0.1:9000.")
    var origins: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        var options = DemoOptions()
        options.port = port
        options.database = database
        options.extraOrigins = origins
        options.logLevel = logLevel
        try await DemoRunner.run(options)
    }
}
