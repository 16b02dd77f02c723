import ArgumentParser

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run the whole demo on one machine: node, identity proxy, connectors, demo services.")

    func run() async throws {
        throw ValidationError("`wse demo` is not built yet.")
    }
}
