import AsyncHTTPClient
import Foundation
import Hummingbird
import IMSConnector
import Metrics
import NIOCore
import SIP
import WSECore

/// Everything a connector flow test needs, all real and on loopback: a SIP backend, the
/// connector's HTTP server, and a fake connector IN receiving its pushes.
final class ConnectorHarness: Sendable {
    static let key = "test-connector-key"
    /// RFC 3261's own timers for the real-time flows: a loaded machine must not turn a slow answer into a
    /// transaction timeout (64*T1 = 32 s); timer behaviour is tested on virtual time.
    static let realTime = SIPTimers()

    let backend: SIPBackend
    let connectorIN: FakeConnectorIN
    let connector: IMSConnector
    let port: Int
    private let server: RunningService

    private init(backend: SIPBackend, connectorIN: FakeConnectorIN, connector: IMSConnector, port: Int, server: RunningService) {
        self.backend = backend
        self.connectorIN = connectorIN
        self.connector = connector
        self.port = port
        self.server = server
    }

    /// alice and bob have the right SIP passwords; carol's is wrong; dave has none.
    /// `timers` run the connector's user agents and the embedded server: a test event loop for
    /// virtual time, or real time with a short T1, so that a datagram lost on loopback is sent again
    /// soon (no test waits for a timer on real time).
    static func start(_ kind: SIPBackendKind, transport: SIPTransportKind = .udp, registerExpires: Int? = nil,
                      serverPort: Int? = nil, timers: SIPTimers = realTime, eventQueueLimit: Int? = nil,
                      metrics: any MetricsFactory = MetricsSystem.factory) async throws -> ConnectorHarness {
        let backend = try await SIPBackend.start(kind, transport: transport, timers: timers)
        let connectorIN = FakeConnectorIN()
        try await connectorIN.start()
        let users = SIPBackend.users
        var configuration = IMSConnectorConfiguration(
            listen: .init(port: 0), key: key,
            sip: .init(server: .init(transport: transport.rawValue.lowercased(), host: "127.0.0.1", port: serverPort ?? backend.port),
                       domain: SIPBackend.domain, registerExpires: registerExpires),
            users: ["alice": .init(username: "alice", password: users["alice"]!),
                    "bob": .init(username: "bob", password: users["bob"]!),
                    "carol": .init(username: "carol", password: "not-carols-password")])
        configuration.eventQueueLimit = eventQueueLimit
        let connector = try IMSConnector(configuration, timers: timers, metricsFactory: metrics)
        let ready = AsyncStream<Int>.makeStream()
        let app = IMSConnectorHTTPServer.makeApplication(connector: connector, host: "127.0.0.1", port: 0) { port in
            ready.continuation.yield(port)
        }
        let server = RunningService(app)
        var port = 0
        for await bound in ready.stream {
            port = bound
            break
        }
        return ConnectorHarness(backend: backend, connectorIN: connectorIN, connector: connector, port: port, server: server)
    }

    /// Runs `body` with a started harness and always stops it (kamailio included), even when
    /// `body` throws.
    static func with(_ kind: SIPBackendKind, transport: SIPTransportKind = .udp, registerExpires: Int? = nil,
                     serverPort: Int? = nil, timers: SIPTimers = realTime, eventQueueLimit: Int? = nil,
                     metrics: any MetricsFactory = MetricsSystem.factory,
                     _ body: (ConnectorHarness) async throws -> Void) async throws {
        let harness = try await start(kind, transport: transport, registerExpires: registerExpires, serverPort: serverPort,
                                      timers: timers, eventQueueLimit: eventQueueLimit, metrics: metrics)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func stop() async {
        await connector.shutdown()
        await server.stop()
        await connectorIN.stop()
        await backend.stop()
    }

    func sipURI(_ user: String) -> String { "sip:\(user)@\(SIPBackend.domain)" }

    /// One connector OUT call over real HTTP; returns the status and the JSON body.
    func call(_ user: String, _ action: String, _ data: JSONValue = [:], pid: String = SIPIdentifiers.random(8),
              key: String = ConnectorHarness.key) async throws -> (status: Int, body: JSONValue) {
        let callback = await connectorIN.url
        let call = ConnectorCall(pid: ProcessID(pid), service: "sip", action: action, user: UserName(user), data: data, callback: callback)
        return try await post(try JSONEncoder().encode(call), key: key)
    }

    func post(_ body: Data, key: String = ConnectorHarness.key) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/requests")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await execute(request)
    }

    func cancel(pid: String) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/requests/\(pid)")
        request.method = .DELETE
        request.headers.add(name: "Authorization", value: "Bearer \(Self.key)")
        return try await execute(request)
    }

    private func execute(_ request: HTTPClientRequest) async throws -> (status: Int, body: JSONValue) {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let body = bytes.readableBytes == 0 ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes))
        return (Int(response.status.code), body)
    }
}
