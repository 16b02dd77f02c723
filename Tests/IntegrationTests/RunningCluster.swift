import Demo
import Foundation
import Hummingbird
import IdentityProxy
import LocalServers
import Logging
import Prometheus
import ServiceLifecycle
import Storage
import Synchronization
import Testing
import WSEApp
import WSECore
import WSETesting

/// Several real nodes in this test process, on loopback ports the system picks, sharing one PostgreSQL database
/// (one store object: the nodes share the database anyway), each with its own cluster part and service group.
struct RunningCluster: Sendable {
    struct Member: Sendable {
        let node: WSENode
        let url: String
        let group: ServiceGroup
    }

    let members: [Member]
    let database: String

    func url(_ index: Int) -> String { members[index].url }

    /// A token for `user` (the signing key is shared: every node accepts it).
    func token(for user: String) async throws -> String {
        try await members[0].node.issuer.issueToken(for: Subscriber(username: user, passwordHash: "-")).accessToken
    }

    /// Stops a node as if its process were killed, as far as the cluster can tell: its cluster part falls silent
    /// first (no heartbeat, no answers, nothing more written), its heartbeat is made old, then the rest stops.
    func kill(_ index: Int, server: PostgresTestServer) async throws {
        let member = members[index]
        member.node.cluster?.halt()
        try await server.execute(
            "UPDATE cluster_node SET heartbeat_at = now() - interval '10 seconds' WHERE id = '\(member.node.cluster?.id ?? "")'", in: database)
        await member.group.triggerGracefulShutdown()
    }
}

/// Runs `count` nodes named a, b, c… on one fresh database while `body` runs, then stops them. `publicURL`: the
/// nodes' `node.publicURL` (a load balancer in front of them), else each its own.
func withRunningCluster(
    _ count: Int, sessions sessionStore: NodeConfiguration.Sessions.Store, services: [ServiceDefinition], publicURL: String? = nil,
    _ body: @Sendable (RunningCluster, PostgresTestServer) async throws -> Void
) async throws {
    let server = try PostgresTestServer.require()
    let database = try await server.makeDatabase()
    var logger = Logger(label: "wse.cluster-integration")
    logger.logLevel = .warning
    try await NodeRunner.withStore(server.url(of: database), logger: logger) { store in
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            var members: [RunningCluster.Member] = []
            for index in 0..<count {
                var configuration = NodeConfiguration()
                configuration.node.port = 0
                configuration.node.publicURL = publicURL
                configuration.node.database = server.url(of: database)
                configuration.node.id = String(UnicodeScalar(UInt8(97 + index)))
                configuration.sessions.store = sessionStore
                configuration.sessions.retailers = [.init(id: "test", origins: [testClientOrigin])]
                configuration.services = services
                let signal = PortSignal()
                // One after the other: the first node creates the signing key and admin token, the others read them.
                let node = try await WSENode.build(
                    configuration: configuration, store: store, metrics: PrometheusCollectorRegistry(), logger: logger,
                    passwordHasher: integrationHasher, onServerRunning: signal.onRunning)
                let group = ServiceGroup(configuration: .init(services: node.services.map { .init(service: $0) }, logger: logger))
                tasks.addTask {
                    defer { signal.continuation.finish() }
                    try await group.run()
                }
                var ports = signal.ports.makeAsyncIterator()
                guard let port = await ports.next() else { throw TestFailure("node \(index) stopped before it served") }
                await node.cluster?.ready()
                members.append(.init(node: node, url: "http://127.0.0.1:\(port)", group: group))
            }
            let cluster = RunningCluster(members: members, database: database)
            let result: Result<Void, any Error>
            do {
                result = .success(try await body(cluster, server))
            } catch {
                result = .failure(error)
            }
            for member in members { await member.group.triggerGracefulShutdown() }
            try await tasks.waitForAll()
            try result.get()
        }
    }
}

/// nginx with the shipped configuration (docs/CLUSTER.md) in front of `cluster`'s nodes, listening on the reserved
/// port (nginx binds with SO_REUSEADDR, so the port stays reserved while it listens), while `body` runs. `alsoListing`:
/// more nodes nginx is told of (e.g. one whose port refuses connections, as a killed node's does).
func withNginx<Result: Sendable>(
    in cluster: RunningCluster, on reservation: PortReservation, alsoListing extra: [(id: String, port: Int)] = [],
    _ body: () async throws -> Result
) async throws -> Result {
    let nodes = cluster.members.map { (id: $0.node.cluster?.id ?? "", port: Int($0.url.split(separator: ":").last ?? "") ?? 0) } + extra
    let nginx = try await LocalNginx.start(configuration: try ClusterDemo.nginxConfiguration(port: reservation.port, nodes: nodes), port: reservation.port)
    let result: Swift.Result<Result, any Error>
    do {
        result = .success(try await body())
    } catch {
        result = .failure(error)
    }
    await nginx.stop()
    return try withExtendedLifetime(reservation) { try result.get() }
}

/// A service connector that accepts every call (202) and remembers the pids it was given and the cancels it got;
/// pushes are the test's.
struct AcceptingConnector {
    let calls = Calls()

    final class Calls: Sendable {
        private let pids = Mutex<[String]>([])
        private let cancels = Mutex<[String]>([])
        private let callbacks = Mutex<[String: String]>([:])
        func add(_ pid: String) { pids.withLock { $0.append(pid) } }
        func add(_ pid: String, callback: String) { callbacks.withLock { $0[pid] = callback } }
        /// The `callback` the connector was given with `pid`'s call.
        func callback(of pid: String) -> String? { callbacks.withLock { $0[pid] } }
        func cancel(_ pid: String) { cancels.withLock { $0.append(pid) } }
        var all: [String] { pids.withLock { $0 } }
        var cancelled: [String] { cancels.withLock { $0 } }
    }

    /// Serves on a free port while `body` runs.
    func serve<Result: Sendable>(_ body: (String) async throws -> Result) async throws -> Result {
        let router = Router()
        let calls = self.calls
        router.post("/v1/requests") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let call = try? JSONValue.parse(String(buffer: body))
            if let pid = call?["pid"]?.stringValue {
                calls.add(pid)
                if let callback = call?["callback"]?.stringValue { calls.add(pid, callback: callback) }
            }
            return Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        router.delete("/v1/requests/:pid") { _, context in
            calls.cancel(context.parameters.get("pid") ?? "")
            return HTTPResponse.Status.noContent
        }
        let signal = PortSignal()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { channel in
            await signal.onRunning(channel.localAddress?.port ?? 0)
        })
        return try await WSETesting.serve(app, signal) { port in try await body("http://127.0.0.1:\(port)") }
    }
}
