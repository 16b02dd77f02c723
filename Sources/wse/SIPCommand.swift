import ArgumentParser
import Foundation
import SIP

/// `wse sip`: SIP tools on the SIP library.
struct SIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sip", abstract: "SIP tools: check a SIP message, measure the parser.",
        subcommands: [SIPCheckCommand.self, SIPParseBenchCommand.self])
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

/// `wse sip bench-parse`: parser throughput on one core (bench/sip/README.md).
struct SIPParseBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-parse", abstract: "Measure SIP parser throughput (messages/s, one core).")

    @Option(help: "How many messages to parse.")
    var count = 500_000

    func run() async throws {
        let messages = SIPBenchmarkMessages.all
        let parser = SIPMessageParser()
        for message in messages { _ = try parser.parse(message) }
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = try clock.measure {
            for index in 0..<count {
                let message = messages[index % messages.count]
                bytes += message.count
                _ = try parser.parse(message)
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "parsed %d messages (%d kinds, %.0f bytes avg) in %.3f s: %.0f messages/s on one core",
                     count, messages.count, Double(bytes) / Double(count), seconds, Double(count) / seconds))
    }
}

/// Typical presence traffic: REGISTER, PUBLISH with PIDF, NOTIFY, MESSAGE and a 200.
enum SIPBenchmarkMessages {
    static let all: [[UInt8]] = [register, notify, message, ok].map { Array($0.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    static let register = """
        REGISTER sip:127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK8d2c1f0a9e7b6c5d;rport
        Max-Forwards: 70
        From: <sip:alice@127.0.0.1>;tag=7c2f1a9b3e
        To: <sip:alice@127.0.0.1>
        Call-ID: 4f9a2b7c1d3e5f60718293a4b5c6d7e8
        CSeq: 2 REGISTER
        Contact: <sip:alice@127.0.0.1:40123>
        Authorization: Digest username="alice", realm="127.0.0.1", nonce="6561a2b3c4d5e6f7", uri="sip:127.0.0.1", response="0a1b2c3d4e5f60718293a4b5c6d7e8f9", algorithm=MD5, qop=auth, cnonce="1f2e3d4c", nc=00000002
        Expires: 3600
        Content-Length: 0


        """
    static let notify = """
        NOTIFY sip:bob@127.0.0.1:40125 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1a2b3c4d5e6f7a8b
        Max-Forwards: 70
        From: <sip:alice@127.0.0.1>;tag=9f8e7d6c5b
        To: <sip:bob@127.0.0.1>;tag=1a2b3c4d5e
        Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
        CSeq: 3 NOTIFY
        Contact: <sip:127.0.0.1:5060>
        Event: presence
        Subscription-State: active;expires=589
        Content-Type: application/pidf+xml
        Content-Length: 183

        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@127.0.0.1"><tuple id="t1"><status><basic>open</basic></status></tuple></presence>

        """
    static let message = """
        MESSAGE sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/TCP 127.0.0.1:40124;branch=z9hG4bK5e6f7a8b9c0d1e2f;rport
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1>;tag=3e4f5a6b7c
        To: <sip:bob@127.0.0.1>
        Call-ID: 8e7d6c5b4a39281706f5e4d3c2b1a090
        CSeq: 1 MESSAGE
        Content-Type: text/plain;charset=UTF-8
        Content-Length: 11

        hello bob!

        """
    static let ok = """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK8d2c1f0a9e7b6c5d;rport=40123;received=127.0.0.1
        From: <sip:alice@127.0.0.1>;tag=7c2f1a9b3e
        To: <sip:alice@127.0.0.1>;tag=a1b2c3d4e5
        Call-ID: 4f9a2b7c1d3e5f60718293a4b5c6d7e8
        CSeq: 2 REGISTER
        Contact: <sip:alice@127.0.0.1:40123>;expires=3600
        Content-Length: 0


        """
}
