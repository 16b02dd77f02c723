import AsyncHTTPClient
import Foundation
import IMSConnector
import Logging
import NIOCore
import WSECore

/// REGISTER/s through the connector (HTTP connector OUT -> SIP REGISTER with digest auth ->
/// Kamailio -> 200 -> HTTP 200), `concurrency` requests in flight. Round 1 includes the
/// 401 challenge of every user; later rounds reuse the nonce (one SIP round trip each).
enum RegisterRateBenchmark {
    static func run(users: Int, rounds: Int, concurrency: Int) async throws {
        let names = (0..<users).map { "u\($0)" }
        let directory = NSTemporaryDirectory() + "wse-bench-kamailio-\(UInt32.random(in: 0...UInt32.max))"
        let sipPort = Int.random(in: 21000...28999)
        let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("../../../scripts/infra/kamailio/kamailio.sh").standardized.path
        let started = try shell(script, ["start", directory, "\(sipPort)", "\(sipPort + 1)"] + names.map { "\($0):pw" })
        guard started.contains("ready") else { print(started); throw CancellationError() }
        defer { _ = try? shell(script, ["stop", directory]) }

        var quiet = Logger(label: "bench")
        quiet.logLevel = .error
        let connector = try IMSConnector(.init(
            listen: .init(port: 0), key: "bench", sip: .init(server: .init(host: "127.0.0.1", port: sipPort), domain: "127.0.0.1"),
            users: Dictionary(uniqueKeysWithValues: names.map { ($0, .init(username: $0, password: "pw")) })), logger: quiet)
        let ready = AsyncStream<Int>.makeStream()
        let app = IMSConnectorHTTPServer.makeApplication(connector: connector, host: "127.0.0.1", port: 0) { ready.continuation.yield($0) }
        Task { try await app.runService(gracefulShutdownSignals: []) }
        var httpPort = 0
        for await port in ready.stream { httpPort = port; break }
        let url = "http://127.0.0.1:\(httpPort)/v1/requests"

        for round in 1...rounds {
            let clock = ContinuousClock.now
            try await forEachConcurrently(names, width: concurrency) { name in
                let call = ConnectorCall(pid: UUID().uuidString, service: "sip", action: "register", user: name, data: [:],
                                         callback: "http://127.0.0.1:9/unused")
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer bench")
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(call)))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 16)
                guard response.status.code == 200 else { throw CancellationError() }
            }
            let elapsed = ContinuousClock.now - clock
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("register: round \(round): \(users) REGISTERs through the connector in \(String(format: "%.3f", seconds)) s = "
                  + "\(Int(Double(users) / seconds))/s\(round == 1 ? " (includes the 401 challenge per user)" : "")")
        }
        await connector.shutdown()
    }

    private static func shell(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        let output = NSTemporaryDirectory() + "wse-bench-sh-\(UInt32.random(in: 0...UInt32.max)).log"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}
