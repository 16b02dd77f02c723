import AsyncHTTPClient
import Foundation
import IMSConnector
import Logging
import NIOCore
import PresenceServer
import SIP
import WSECore

/// REGISTER/s through the connector (HTTP connector OUT -> SIP REGISTER with digest auth ->
/// SIP server -> 200 -> HTTP 200), `concurrency` requests in flight. Round 1 includes the
/// 401 challenge of every user; later rounds reuse the nonce (one SIP round trip each).
///
/// The server is the embedded presence server, or the one at `server` (Kamailio, whose users
/// `u0`…`u<users-1>` have the password "pw"; bench/sip/kamailio-bench.sh starts one).
enum RegisterRateBenchmark {
    static func run(users: Int, rounds: Int, concurrency: Int, server external: SIPEndpoint?) async throws {
        let names = (0..<users).map { "u\($0)" }
        var quiet = Logger(label: "bench")
        quiet.logLevel = .error
        var embedded: PresenceServer?
        let server: SIPEndpoint
        if let external {
            server = external
        } else {
            let presence = PresenceServer(.init(tcpPort: nil, domain: "127.0.0.1",
                                                users: Dictionary(uniqueKeysWithValues: names.map { ($0, "pw") })), logger: quiet)
            try await presence.start()
            server = SIPEndpoint(.udp, await presence.udpAddress!)
            embedded = presence
        }
        let backend = external == nil ? "embedded presence server" : "SIP server at \(server)"
        let connector = try makeConnector(server: server, users: names)
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
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(40))
                let body = try await response.body.collect(upTo: 1 << 16)
                guard response.status.code == 200 else {
                    throw BenchFailure("REGISTER of \(name) in round \(round): HTTP \(response.status.code) \(String(buffer: body))")
                }
            }
            let elapsed = ContinuousClock.now - clock
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            report("register: round \(round): \(users) REGISTERs through the connector to the \(backend) in "
                  + "\(String(format: "%.3f", seconds)) s = \(Int(Double(users) / seconds))/s"
                  + (round == 1 ? " (includes the 401 challenge per user)" : ""))
        }
        await connector.shutdown()
        await embedded?.stop()
    }
}
