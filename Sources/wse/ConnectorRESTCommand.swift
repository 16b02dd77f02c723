import ArgumentParser

struct ConnectorRESTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rest", abstract: "Run the REST connector: maps service actions to HTTP calls by configuration.")

    func run() async throws {
        throw ValidationError("`wse connector rest` is not built yet.")
    }
}
