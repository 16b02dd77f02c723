import ArgumentParser

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run a WSE node from a configuration file.")

    func run() async throws {
        throw ValidationError("`wse serve` is not built yet.")
    }
}
