import ArgumentParser

struct ConnectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "connector", abstract: "Run a service connector as its own process (rest, sip).")

    func run() async throws {
        throw ValidationError("`wse connector` is not built yet.")
    }
}
