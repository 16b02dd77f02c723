import ArgumentParser

struct ConnectorSIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sip", abstract: "Run the SIP/IMS connector: one SIP user agent per WSE user.")

    func run() async throws {
        throw ValidationError("`wse connector sip` is not built yet.")
    }
}
