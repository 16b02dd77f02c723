import ArgumentParser

struct OrcCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orc", abstract: "Run and check Orc programs (the orchestration language).")

    func run() async throws {
        throw ValidationError("`wse orc` is not built yet.")
    }
}
