import ArgumentParser

struct SIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sip", abstract: "SIP tools: parse and check SIP messages.")

    func run() async throws {
        throw ValidationError("`wse sip` is not built yet.")
    }
}
