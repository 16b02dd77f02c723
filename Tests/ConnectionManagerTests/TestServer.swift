@testable import ConnectionManager
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing
import WSECore

/// A real node on loopback (port chosen by the OS): Hummingbird with a `/healthz` route, and the
/// connection manager on `/wse`, both run by a ServiceGroup like the application runs them.
struct TestServer {
    let port: Int
    let manager: ConnectionManager
    let requests: FakeRequests
    let group: ServiceGroup

    static let retailer = ConnectionManagerConfiguration.Retailer(id: "shop", origins: ["https://shop.test"])

    /// A configuration with the test retailer and short timers; tests change what they exercise.
    static func configuration(_ change: (inout ConnectionManagerConfiguration) -> Void = { _ in }) -> ConnectionManagerConfiguration {
        var configuration = ConnectionManagerConfiguration()
        configuration.retailers = [retailer]
        change(&configuration)
        return configuration
    }

    static func run(
        _ configuration: ConnectionManagerConfiguration = configuration(),
        metrics: any MetricsFactory = NOOPMetricsHandler.instance,
        _ body: (TestServer) async throws -> Void
    ) async throws {
        var logger = Logger(label: "wse.test")
        logger.logLevel = .warning
        var configuration = configuration
        configuration.metricsFactory = metrics
        let manager = ConnectionManager(configuration: configuration, tokens: FakeTokens(), logger: logger)
        let requests = FakeRequests()
        requests.answer(through: manager)
        manager.connect(to: requests)
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, server: manager.httpServer(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app, manager], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try #require(port > 0)
            do {
                try await body(TestServer(port: port, manager: manager, requests: requests, group: group))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    func connect(path: String = "/wse", origin: String? = "https://shop.test", answerPings: Bool = true) async throws -> TestWebSocket {
        try await TestWebSocket.connect(port: port, path: path, origin: origin, answerPings: answerPings)
    }

    /// A connection that said hello as `user`; returns it with its session id.
    func session(_ user: String) async throws -> (TestWebSocket, SessionID) {
        let socket = try await connect()
        let welcome = try await socket.hello(token: "user:\(user)")
        return (socket, SessionID(try #require(welcome["session"]?.stringValue)))
    }
}
