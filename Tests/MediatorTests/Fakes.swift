import Foundation
import Metrics
import Testing
import WSETesting
import WSECore

@testable import Mediator

actor FakeServiceStore: ServiceStore {
    var services: [ServiceID: ServiceDefinition] = [:]
    var failing = false

    init(_ services: [ServiceDefinition] = []) {
        for service in services { self.services[service.id] = service }
    }

    /// While holding, each `save` waits until `releaseSave(failing:)` decides its outcome.
    var holding = false
    var heldSaves: [CheckedContinuation<Bool, Never>] = []

    func setFailing(_ failing: Bool) { self.failing = failing }
    func holdSaves() { holding = true }
    func releaseSave(failing: Bool) { heldSaves.removeFirst().resume(returning: failing) }

    func allServices() async throws(StoreError) -> [ServiceDefinition] {
        if failing { throw StoreError("disk on fire") }
        return Array(services.values)
    }

    func save(_ service: ServiceDefinition) async throws(StoreError) {
        if holding, await withCheckedContinuation({ heldSaves.append($0) }) { throw StoreError("disk on fire") }
        if failing { throw StoreError("disk on fire") }
        services[service.id] = service
    }

    func deleteService(id: ServiceID) async throws(StoreError) -> Bool {
        if failing { throw StoreError("disk on fire") }
        return services.removeValue(forKey: id) != nil
    }

    func save(_ service: ServiceDefinition, ownedBy provider: String) async throws(StoreError) -> OwnedServiceSave {
        if failing { throw StoreError("disk on fire") }
        let stored = services[service.id]
        guard stored == nil || stored?.provider == provider else { return .ownedByAnother }
        services[service.id] = service
        return stored == nil ? .created : .replaced
    }
}

/// Records what the mediator sends to sessions, numbering events per session as a session does.
/// Sessions named in `gone` no longer exist.
actor FakeSessionOutput: SessionOutput {
    var sent: [SessionID: [ServerMessage]] = [:]
    var lastSeq: [SessionID: UInt64] = [:]
    var pushes: [(user: UserName, service: ServiceID, data: JSONValue)] = []
    var sessionsOfUser: [UserName: [Principal]] = [:]
    var gone: Set<SessionID> = []
    var commitFails = false

    func setSessions(of user: UserName, count: Int) {
        sessionsOfUser[user] = Array(repeating: Principal(user: user, expiresAt: .distantFuture), count: count)
    }
    func setSessions(_ principals: [Principal]) {
        sessionsOfUser = Dictionary(grouping: principals, by: \.user)
    }
    func markGone(_ session: SessionID) { gone.insert(session) }
    /// Events still reach the sessions, but the shared session store cannot commit them.
    func failCommits(_ fail: Bool) { commitFails = fail }

    func send(_ message: ServerMessage, toSession session: SessionID) async -> Bool {
        guard !gone.contains(session) else { return false }
        sent[session, default: []].append(message)
        return true
    }

    func send(_ event: OutboundEvent, toSession session: SessionID) async -> EventDelivery {
        guard !gone.contains(session) else { return .sessionGone }
        lastSeq[session, default: 0] += 1
        sent[session, default: []].append(event.message(seq: lastSeq[session, default: 0]))
        return commitFails ? .notDurable : .kept
    }

    func push(toUser user: UserName, service: ServiceID, data: JSONValue, admitting admits: @Sendable (Principal) -> Bool) async
        -> UserPushReach
    {
        let sessions = sessionsOfUser[user] ?? []
        let reached = sessions.count { admits($0) }
        if reached > 0 { pushes.append((user, service, data)) }
        var reach = UserPushReach(sessions: sessions.count, reached: reached)
        reach.durable = reached == 0 || !commitFails
        return reach
    }

    func messages(_ session: SessionID) -> [ServerMessage] { sent[session] ?? [] }
}

/// A connector OUT whose answers the test decides: immediately per endpoint, or held until released.
actor FakeConnectorClient: ConnectorClient {
    enum Behaviour: Sendable {
        case answer(Result<ConnectorReply, ConnectorFailure>)
        case hold
    }

    struct Sent: Sendable {
        var call: ConnectorCall
        var endpoint: String
        var key: String
        var timeout: Duration
    }

    var behaviour: [String: Behaviour] = [:]
    var sent: [Sent] = []
    var cancelled: [(pid: ProcessID, endpoint: String, key: String)] = []
    private var held: [ProcessID: CheckedContinuation<Result<ConnectorReply, ConnectorFailure>, Never>] = [:]

    func set(_ endpoint: String, _ behaviour: Behaviour) { self.behaviour[endpoint] = behaviour }

    func send(_ call: ConnectorCall, endpoint: String, key: String, timeout: Duration) async throws(ConnectorFailure) -> ConnectorReply {
        sent.append(Sent(call: call, endpoint: endpoint, key: key, timeout: timeout))
        let result: Result<ConnectorReply, ConnectorFailure>
        switch behaviour[endpoint] ?? .answer(.success(.result(.null))) {
        case .answer(let answer): result = answer
        case .hold: result = await withCheckedContinuation { held[call.pid] = $0 }
        }
        return try result.get()
    }

    func cancel(pid: ProcessID, endpoint: String, key: String) async {
        cancelled.append((pid, endpoint, key))
    }

    var heldPids: [ProcessID] { Array(held.keys) }

    func release(_ pid: ProcessID, with result: Result<ConnectorReply, ConnectorFailure>) {
        held.removeValue(forKey: pid)?.resume(returning: result)
    }
}

/// Records the output one process sent to its sink.
actor RecordingSink: ProcessSink {
    enum Output: Equatable, Sendable {
        case respond(JSONValue), emit(JSONValue), fail(ServiceError), finish(EndReason)
    }

    var outputs: [Output] = []

    func respond(_ data: JSONValue) async { outputs.append(.respond(data)) }
    func emit(_ data: JSONValue) async { outputs.append(.emit(data)) }
    func fail(_ error: ServiceError) async { outputs.append(.fail(error)) }
    func finish(_ reason: EndReason) async { outputs.append(.finish(reason)) }
}

/// An orchestrator stand-in: records starts and cancels; the test drives each composition's sink.
actor FakeCompositionRunner: CompositionRunning {
    struct Started: Sendable {
        var composition: String
        var pid: ProcessID
        var action: String
        var user: UserName
        var sink: any ProcessSink
    }

    var started: [Started] = []
    var cancelled: [ProcessID] = []
    var refusal: ServiceError?
    /// Publications emitted through the sink before `start` returns.
    var emitDuringStart: [JSONValue] = []

    func refuse(with error: ServiceError?) { refusal = error }
    func emitWhileStarting(_ values: [JSONValue]) { emitDuringStart = values }

    func start(composition: String, pid: ProcessID, action: String, data: JSONValue, for principal: Principal, sink: any ProcessSink)
        async throws(ServiceError)
    {
        if let refusal { throw refusal }
        started.append(Started(composition: composition, pid: pid, action: action, user: principal.user, sink: sink))
        for value in emitDuringStart { await sink.emit(value) }
    }

    func cancel(pid: ProcessID) async { cancelled.append(pid) }
}

/// A mediator wired to fakes of every port.
struct Harness {
    let store: FakeServiceStore
    let sessions = FakeSessionOutput()
    let connector = FakeConnectorClient()
    let compositions = FakeCompositionRunner()
    let clock = ManualClock()
    let registry: ServiceRegistry
    let mediator: Mediator

    static let callback = "http://127.0.0.1:18080/connector/in/v1/events"

    init(
        _ services: [ServiceDefinition], breakerThreshold: Int = 3, orchestrator: Bool = true,
        metrics: any MetricsFactory = MetricsSystem.factory, quotas: MediatorQuotas = MediatorQuotas(),
        usage: (any UsageRecording)? = nil, handsOverOnShutdown: Bool = false
    ) async throws {
        store = FakeServiceStore(services)
        let clock = self.clock
        var configuration = MediatorConfiguration(
            callbackURL: Self.callback, breakerThreshold: breakerThreshold, breakerCoolDown: .seconds(30), now: { clock.now },
            metricsFactory: metrics, quotas: quotas)
        configuration.usage = usage
        configuration.handsOverOnShutdown = handsOverOnShutdown
        registry = ServiceRegistry(store: store, configuration: configuration)
        let rejected = try await registry.load()
        #expect(rejected.isEmpty)
        mediator = Mediator(
            registry: registry, connectors: connector, sessions: sessions,
            compositions: orchestrator ? compositions : nil, configuration: configuration)
    }

    /// Sends a request from `session` and waits until the session got `count` messages in all.
    func request(
        _ service: ServiceID, action: String = "get", data: JSONValue = [:], id: String = "r1", session: SessionContext = .alice,
        expecting count: Int = 1
    ) async throws -> [ServerMessage] {
        await mediator.handle(ClientRequest(id: id, service: service, action: action, data: data), from: session)
        try await eventually("\(count) messages to \(session.id)") { await sessions.messages(session.id).count >= count }
        return await sessions.messages(session.id)
    }

    func waitForHeldCall(count: Int = 1) async throws -> [ProcessID] {
        try await eventually("\(count) held connector calls") { await connector.heldPids.count >= count }
        return await connector.heldPids
    }
}

extension Principal {
    static let alice = Principal(user: "alice", roles: ["subscriber"], retailer: "shop", expiresAt: .distantFuture)
    static let bob = Principal(user: "bob", roles: ["guest"], retailer: "other", expiresAt: .distantFuture)
}

extension SessionContext {
    static let alice = SessionContext(id: "s-alice", principal: .alice)
    static let bob = SessionContext(id: "s-bob", principal: .bob)
}

extension ServiceDefinition {
    static func basic(
        _ id: ServiceID, key: String? = nil, alternatives: [ServiceID] = [], capacity: Int? = nil, access: AccessRule = .init()
    ) -> ServiceDefinition {
        ServiceDefinition(
            id: id, kind: .basic, endpoint: "http://127.0.0.1:19999/\(id)", connectorKey: key ?? "key-\(id)-0123456789abcdefghij", access: access,
            alternatives: alternatives, capacity: capacity, timeout: 2)
    }

    static func composed(_ id: ServiceID, composition: String? = nil) -> ServiceDefinition {
        ServiceDefinition(id: id, kind: .composed, composition: composition)
    }

    var url: String { endpoint ?? "" }
}

extension ServerMessage {
    var pid: ProcessID? {
        switch self {
        case .response(_, let pid, _), .end(let pid, _): pid
        case .event(_, _, let pid, _): pid
        default: nil
        }
    }
}
