import ArgumentParser

struct IMSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ims", abstract: "Run the embedded presence server (registrar, presence agent, MESSAGE relay).")

    func run() async throws {
        throw ValidationError("`wse ims` is not built yet.")
    }
}
