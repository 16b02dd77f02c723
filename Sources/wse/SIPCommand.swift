import ArgumentParser
import Foundation
import SIP

/// `wse sip`: SIP tools on the SIP library.
struct SIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sip", abstract: "SIP tools: check a SIP message (benchmarks: bench/sip).",
        subcommands: [SIPCheckCommand.self])
}

/// `wse sip check FILE`: parses one message (as a datagram) and prints its structure, or
/// exits 1 with the reason it is invalid.
struct SIPCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Parse one SIP message and print its structure.")

    @Argument(help: "A file holding one SIP message (CRLF or LF line ends; '-' reads standard input).")
    var file: String

    @Flag(help: "Treat the bytes as a stream message: Content-Length required.")
    var stream = false

    func run() async throws {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        do {
            print(try SIPMessageParser().parse(Array(data), isStream: stream).structureDescription)
        } catch {
            FileHandle.standardError.write(Data("invalid SIP message: \(error.reason)\n".utf8))
            throw ExitCode(1)
        }
    }
}
