import Cluster
import Foundation
import Logging
import PostgresNIO
import Storage
import Testing
import WSECore
import WSETesting

/// Cluster nodes (the Cluster target alone, no WSE node around them) on a fresh database of the suite's
/// PostgreSQL server, migrated as a node's store would migrate it.
struct ClusterHarness {
    let server: PostgresTestServer
    let database: String

    static func make() async throws -> ClusterHarness {
        let server = try PostgresTestServer.require()
        let database = try await server.makeDatabase()
        try await PostgresStore.withStore(url: server.url(of: database), logger: .quiet) { _ in }
        return ClusterHarness(server: server, database: database)
    }

    func configuration(_ id: String, shared: Bool = false) -> ClusterConfiguration {
        ClusterConfiguration(
            nodeID: id, url: "http://\(id).test", database: ClusterDatabase(host: "127.0.0.1", port: server.port, username: "postgres", password: nil, database: database),
            sharedSessions: shared, resumeWindow: .seconds(60))
    }

    /// Runs the nodes while `body` runs (each registered and listening first), then halts and stops them.
    func run<Result: Sendable>(_ nodes: [ClusterNode], _ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            for node in nodes { group.addTask { try await node.run() } }
            for node in nodes { await node.ready() }
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            for node in nodes { node.halt() }
            group.cancelAll()  // a halted node waits for its node's shutdown, which is this
            try await group.waitForAll()
            return try result.get()
        }
    }

    @discardableResult
    func rows(_ sql: String) async throws -> [PostgresRow] {
        try await server.execute(sql, in: database)
    }

    func count(_ sql: String) async throws -> Int {
        try await rows(sql).first?.decode(Int.self) ?? -1
    }

    /// Makes `node` look dead to the others, as if it had stopped beating long ago.
    func age(_ node: String, seconds: Int) async throws {
        try await rows("UPDATE cluster_node SET heartbeat_at = now() - interval '\(seconds) seconds' WHERE id = '\(node)'")
    }
}

extension Logger {
    static var quiet: Logger {
        var logger = Logger(label: "wse.cluster-test")
        logger.logLevel = .critical
        return logger
    }
}

/// A node's own connector IN side, as a fake: records what reaches it and answers as told.
actor RecordingInbound: ConnectorInbound {
    private(set) var pushes: [(pid: ProcessID, data: JSONValue, final: Bool, services: Set<ServiceID>)] = []
    private(set) var userPushes: [(user: UserName, data: JSONValue)] = []
    var processAnswer: InboundOutcome = .delivered(1)
    var userAnswer: InboundOutcome = .notFound("no session")
    /// Answers to the next pushes for processes, before `processAnswer`.
    private var nextProcessAnswers: [InboundOutcome] = []

    init(processAnswer: InboundOutcome = .notFound("no process"), userAnswer: InboundOutcome = .notFound("no session")) {
        self.processAnswer = processAnswer
        self.userAnswer = userAnswer
    }

    /// From now on, answers pushes for processes with `outcome`.
    func answerProcesses(_ outcome: InboundOutcome) { processAnswer = outcome }

    func connector(forKey key: String) async -> ConnectorIdentity? { ConnectorIdentity(services: ["svc"]) }

    func processData(pid: ProcessID, data: JSONValue, final: Bool, from connector: ConnectorIdentity) async -> InboundOutcome {
        pushes.append((pid, data, final, connector.services))
        return nextProcessAnswers.isEmpty ? processAnswer : nextProcessAnswers.removeFirst()
    }

    func answerNextPushes(_ outcomes: [InboundOutcome]) {
        nextProcessAnswers = outcomes
    }

    func userPush(user: UserName, service: ServiceID, data: JSONValue, from connector: ConnectorIdentity) async -> InboundOutcome {
        userPushes.append((user, data))
        return userAnswer
    }

    /// The rule of every service (`svc`); everyone unless told otherwise.
    var rule = AccessRule()

    func setAccessRule(_ rule: AccessRule) { self.rule = rule }

    func accessRule(of service: ServiceID) async -> AccessRule? { rule }
}

extension ClusterNode {
    /// Binds a fake inbound only.
    func bind(inbound: any ConnectorInbound) {
        var local = ClusterNode.Local()
        local.inbound = inbound
        bind(local)
    }
}
