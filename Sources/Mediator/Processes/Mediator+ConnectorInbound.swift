import Foundation
import WSECore

extension Mediator: ConnectorInbound {
    /// Outside the actor (as in the registry): a wrong key costs one lookup under a lock and waits for no one.
    public nonisolated func connector(forKey key: String) async -> ConnectorIdentity? {
        registry.connector(forKey: key)
    }

    /// Data for a running process, from the connector of its service. `final` ends the process (`end` done);
    /// a final push whose data is null ends it without an event.
    public func processData(pid: ProcessID, data: JSONValue, final: Bool, from connector: ConnectorIdentity) async -> InboundOutcome {
        guard let record = processes[pid], !record.state.isEnded else {
            return .notFound("no running process \"\(pid)\"")
        }
        guard record.serving.kind == .basic, connector.services.contains(record.serving.id) else {
            return .forbidden("process \"\(pid)\" belongs to a service this connector key does not serve")
        }
        if !(final && data.isNull) {
            record.counters.recordPush(via: record.owner.pushRoute)
            processes[pid]?.outbox.append(.emit(data))
        }
        if final { await end(pid, reason: .done, outcome: .none) }
        await drain(pid)
        // Empty unless the shared session store failed a commit: the memory store pays one emptiness check.
        if !notDurable.isEmpty, notDurable.remove(pid) != nil { return Self.notCommitted }
        return .delivered(1)
    }

    /// An unsolicited push to the sessions of `user`, for a service the connector serves: to every session
    /// when the user has a running process of that service, else to the sessions its access rule admits.
    public func userPush(user: UserName, service: ServiceID, data: JSONValue, from connector: ConnectorIdentity) async -> InboundOutcome {
        guard connector.services.contains(service), let definition = await registry.get(service) else {
            return .forbidden("this connector key does not serve service \"\(service)\"")
        }
        let rule = definition.access
        let admitsAll = rule.admitsEveryone
        // Only the user's own rows, and only when the rule may refuse someone.
        let runsService = !admitsAll && (processesByUser[user] ?? []).contains { pid in
            guard let record = processes[pid] else { return false }
            return !record.state.isEnded && (record.requestedService == service || record.serving.id == service)
        }
        let reach = await sessions.push(toUser: user, service: service, data: data, admitting: { admitsAll || runsService || rule.admits($0) })
        guard reach.sessions > 0 else { return .notFound("user \"\(user)\" has no session") }
        guard reach.reached > 0 else {
            return .forbidden("user \"\(user)\" may not use service \"\(service)\" and runs no process of it")
        }
        guard reach.durable else { return Self.notCommitted }
        await registry.counters(of: service)?.recordPush(via: .user)
        configuration.usage?.record(
            ProcessUsage.userPush(of: service, provider: definition.provider, to: user, data: data, reached: reach.reached, at: Date()))
        return .delivered(reach.reached)
    }

    public func accessRule(of service: ServiceID) async -> AccessRule? {
        await registry.get(service)?.access
    }

    /// The answer to a push that reached a session but could not be committed to the shared session store
    /// (PostgreSQL away): the connector is to push it again later (docs/CLUSTER.md).
    static let notCommitted = InboundOutcome.unavailable("the event could not be stored (the session store is unavailable); try again")
}
