import Foundation
import Testing
import WSETesting
import WSECore

@testable import Orchestrator

/// The CSDR's store in memory, versions numbered from 1 per id.
actor InMemoryCompositionStore: CompositionStore {
    private var versions: [String: [CompositionVersion]] = [:]
    var failing = false

    func setFailing(_ value: Bool) { failing = value }

    func saveComposition(id: String, source: String) async throws(StoreError) -> CompositionVersion {
        if failing { throw StoreError("disk on fire") }
        let saved = CompositionVersion(id: id, version: (versions[id]?.last?.version ?? 0) + 1, source: source, createdAt: Date())
        versions[id, default: []].append(saved)
        return saved
    }

    func composition(id: String, version: Int?) async throws(StoreError) -> CompositionVersion? {
        if failing { throw StoreError("disk on fire") }
        guard let all = versions[id] else { return nil }
        guard let version else { return all.last }
        return all.first { $0.version == version }
    }

    func compositionVersions(id: String) async throws(StoreError) -> [Int] {
        if failing { throw StoreError("disk on fire") }
        return versions[id]?.map(\.version) ?? []
    }

    func deleteComposition(id: String) async throws(StoreError) -> Bool {
        if failing { throw StoreError("disk on fire") }
        return versions.removeValue(forKey: id) != nil
    }
}

/// A mediator stand-in: each service behaves as configured; invocations, cancels and open processes are recorded.
actor FakeServices: ServiceInvoking {
    enum Behaviour: Sendable {
        /// A synchronous service: answers and finishes.
        case answer(JSONValue)
        /// An asynchronous service: acknowledges; events come from `push`, the end from `end` or `cancel`.
        case subscription(ack: JSONValue)
        /// Never answers until cancelled.
        case silent
        /// Admitted, then fails.
        case fails(ServiceError)
        /// Refused by `invoke` (access rule, unknown service …).
        case refused(ServiceError)
        /// Each action as configured (`get` answers, `subscribe` streams …); an action not listed is `unknown`.
        indirect case actions([String: Behaviour])
    }

    struct Invocation: Sendable, Equatable {
        var pid: ProcessID
        var service: ServiceID
        var action: String
        var data: JSONValue
        var user: UserName
    }

    private var behaviours: [ServiceID: Behaviour]
    private(set) var invocations: [Invocation] = []
    private(set) var cancelled: [ProcessID] = []
    private var sinks: [ProcessID: any ProcessSink] = [:]
    private var counter = 0

    init(_ behaviours: [ServiceID: Behaviour]) {
        self.behaviours = behaviours
    }

    func invoke(service: ServiceID, action: String, data: JSONValue, for principal: Principal, sink: any ProcessSink)
        async throws(ServiceError) -> ProcessID
    {
        guard var behaviour = behaviours[service] else { throw ServiceError(.unknownService, "no service \"\(service)\"") }
        if case .actions(let actions) = behaviour {
            guard let chosen = actions[action] else { throw ServiceError(.badRequest, "\(service) has no action \(action)") }
            behaviour = chosen
        }
        if case .refused(let error) = behaviour { throw error }
        counter += 1
        let pid = ProcessID("p\(counter)-\(service)")
        invocations.append(Invocation(pid: pid, service: service, action: action, data: data, user: principal.user))
        sinks[pid] = sink
        // Like the mediator, the output comes after `invoke` returned, from another task.
        Task { await self.begin(pid, behaviour) }
        return pid
    }

    func cancel(pid: ProcessID) async {
        cancelled.append(pid)
        guard let sink = sinks.removeValue(forKey: pid) else { return }
        await sink.finish(.cancelled)
    }

    /// An event of an open process.
    func push(_ pid: ProcessID, _ data: JSONValue) async {
        await sinks[pid]?.emit(data)
    }

    /// Ends an open process, optionally with an error first.
    func end(_ pid: ProcessID, failing error: ServiceError? = nil) async {
        guard let sink = sinks.removeValue(forKey: pid) else { return }
        if let error { await sink.fail(error) }
        await sink.finish(error == nil ? .done : .error)
    }

    func pids(of service: ServiceID) -> [ProcessID] { invocations.filter { $0.service == service }.map(\.pid) }
    var openPids: Set<ProcessID> { Set(sinks.keys) }

    private func begin(_ pid: ProcessID, _ behaviour: Behaviour) async {
        guard let sink = sinks[pid] else { return }
        switch behaviour {
        case .answer(let data):
            sinks[pid] = nil
            await sink.respond(data)
            await sink.finish(.done)
        case .subscription(let ack):
            await sink.respond(ack)
        case .silent, .refused, .actions:
            break
        case .fails(let error):
            sinks[pid] = nil
            await sink.fail(error)
            await sink.finish(.error)
        }
    }
}

/// A process sink that records what the orchestrator sends, in order.
actor RecordingSink: ProcessSink {
    enum Output: Sendable, Equatable {
        case respond(JSONValue)
        case emit(JSONValue)
        case fail(ServiceError)
        case finish(EndReason)
    }

    private(set) var outputs: [Output] = []

    func respond(_ data: JSONValue) async { outputs.append(.respond(data)) }
    func emit(_ data: JSONValue) async { outputs.append(.emit(data)) }
    func fail(_ error: ServiceError) async { outputs.append(.fail(error)) }
    func finish(_ reason: EndReason) async { outputs.append(.finish(reason)) }

    var emitted: [JSONValue] { outputs.compactMap { if case .emit(let data) = $0 { data } else { nil } } }
    var failures: [ServiceError] { outputs.compactMap { if case .fail(let error) = $0 { error } else { nil } } }
    var endReason: EndReason? { outputs.compactMap { if case .finish(let reason) = $0 { reason } else { nil } }.first }

    /// Waits for the end and returns it.
    func waitForEnd() async throws -> EndReason {
        try await eventually("the composition ends") { self.endReason != nil }
        return endReason!
    }
}

let alice = Principal(user: "alice", roles: ["subscriber"], expiresAt: Date().addingTimeInterval(3600))
