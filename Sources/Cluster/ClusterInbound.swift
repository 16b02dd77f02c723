import WSECore

/// Connector IN for a node of a cluster: a decorator around the node's own `ConnectorInbound` (the mediator).
///
/// A push whose process or user is on this node never pays for the cluster: `processData` asks the local
/// mediator first, and only when it does not know the pid looks the owner up in the process directory and
/// forwards the push there over the bus, answering that node's outcome. `userPush` delivers here and, in
/// parallel, on every other alive node that has sessions of the user, and counts the sessions of all; with the
/// shared store, the sessions of dead nodes get it when they resume elsewhere (``recordForResume``).
/// Each per-pid push forwarded to another node is reported to `onForward` (the node counts them on `/metrics`,
/// `wse_cluster_forwarded_pushes_total`): with the load balancer routing by ``RoutingHint``, only pushes whose hint
/// was stale or missing are forwarded.
public struct ClusterInbound: ConnectorInbound {
    let local: any ConnectorInbound
    let node: ClusterNode
    let forwarded: @Sendable () -> Void

    public init(wrapping local: any ConnectorInbound, node: ClusterNode, onForward: @escaping @Sendable () -> Void = {}) {
        self.local = local
        self.node = node
        self.forwarded = onForward
    }

    public func connector(forKey key: String) async -> ConnectorIdentity? {
        await local.connector(forKey: key)
    }

    public func accessRule(of service: ServiceID) async -> AccessRule? {
        await local.accessRule(of: service)
    }

    public func processData(pid: ProcessID, data: JSONValue, final: Bool, from connector: ConnectorIdentity) async -> InboundOutcome {
        let outcome = await local.processData(pid: pid, data: data, final: final, from: connector)
        guard case .notFound = outcome else { return outcome }
        let owner: ProcessOwner?
        do {
            owner = try await node.directory.owner(of: pid)
        } catch {
            node.logger.warning("cluster: process directory unavailable", metadata: ["wse.error": "\(String(reflecting: error))"])
            // It may run on another node: the connector is to retry rather than end it.
            return .unavailable("the process directory is unavailable (PostgreSQL); try again")
        }
        guard let owner else { return outcome }
        guard owner.alive, owner.node != node.id else {
            return await node.unroutable.answer(pid, owner: owner, otherwise: outcome) {
                await local.processData(pid: pid, data: data, final: final, from: connector)
            }
        }
        forwarded()
        let request = BusRequest.processData(pid: pid, data: data, final: final, services: connector.services.sorted())
        // A node that holds the process but does not answer (stopping, or its session moving): the connector is
        // to retry, not to end the process, which may be taken over in a moment.
        return await node.ask(owner.node, request)?.outcome ?? .unavailable("the node that runs process \(pid) does not answer; try again")
    }

    public func userPush(user: UserName, service: ServiceID, data: JSONValue, from connector: ConnectorIdentity) async -> InboundOutcome {
        async let here = local.userPush(user: user, service: service, data: data, from: connector)
        let holders: UserSessionHolders
        do {
            holders = try await node.directory.holders(ofSessionsOf: user)
        } catch {
            node.logger.warning("cluster: session directory unavailable", metadata: ["wse.error": "\(String(reflecting: error))"])
            // The user's sessions on other nodes cannot be found: "no session" would be a guess.
            let local = await here
            guard case .notFound = local else { return local }
            return .unavailable("the session directory is unavailable (PostgreSQL); try again")
        }
        let request = BusRequest.userPush(user: user, service: service, data: data, services: connector.services.sorted())
        let (elsewhere, silent) = await withTaskGroup(
            of: (String, InboundOutcome?).self, returning: ([InboundOutcome], Set<String>).self
        ) { group in
            for other in holders.liveNodes {
                group.addTask { (other, await node.ask(other, request)?.outcome) }
            }
            return await group.reduce(into: ([], [])) { answers, answer in
                if let outcome = answer.1 { answers.0.append(outcome) } else { answers.1.insert(answer.0) }
            }
        }
        let outcome = Self.combine(await here, elsewhere)
        // Sessions of dead nodes resume elsewhere with the shared store only; a push that every node answered and
        // that found no dead node's session pays nothing more.
        guard node.configuration.sharedSessions, connector.services.contains(service) else { return outcome }
        var away = holders.awaySessions
        if !silent.isEmpty {
            guard let died = await sessionsOfSilentNodes(silent, of: user, listed: holders) else {
                return .unavailable("a node with sessions of user \"\(user)\" did not answer; try again")
            }
            away += died
        }
        guard !away.isEmpty else { return outcome }
        return await recordForResume(service: service, data: data, in: away, after: outcome)
    }

    /// The sessions of the nodes that did not answer, when those nodes are dead now (killed after the directory was
    /// read: the push is recorded for their sessions); nil when one still looks live (it may or may not have
    /// delivered) or its sessions moved meanwhile (the node they moved to was maybe not asked).
    func sessionsOfSilentNodes(_ silent: Set<String>, of user: UserName, listed: UserSessionHolders) async -> [UserSessionHolders.SessionOnNode]? {
        guard let now = try? await node.directory.holders(ofSessionsOf: user) else { return nil }
        let theirs = listed.liveSessions.filter { silent.contains($0.node) }
        guard theirs.allSatisfy(now.awaySessions.contains) else { return nil }
        return theirs
    }

    /// Records the push for the sessions of dead nodes, which the nodes taking them over will number after their
    /// events; counted in `delivered`. Only for the sessions the service's access rule admits (by the principal the
    /// directory keeps) or that run a process of the service, as the mediator decides for its own sessions. Not when
    /// the live nodes refused it, or could not commit it (the connector pushes again). A session that moved while
    /// it was recorded is answered 503: it may have missed the push.
    func recordForResume(
        service: ServiceID, data: JSONValue, in away: [UserSessionHolders.SessionOnNode], after outcome: InboundOutcome
    ) async -> InboundOutcome {
        let reached: Int
        switch outcome {
        case .delivered(let count): reached = count
        case .notFound: reached = 0
        case .forbidden, .unavailable: return outcome
        }
        do {
            let sessions = try await admitted(away, to: service)
            guard !sessions.isEmpty else {
                guard case .notFound(let why) = outcome else { return outcome }
                return away.isEmpty ? .notFound(why) : .forbidden("user may not use service \"\(service)\" and runs no process of it")
            }
            let recorded = try await node.directory.recordPending(PendingPush.tail(service: service, data: data), for: sessions)
            guard recorded == sessions.count else {
                return .unavailable("a session of the user moved to another node while the push was recorded for it; try again")
            }
            return .delivered(reached + recorded)
        } catch {
            node.logger.warning("cluster: cannot record a user push for the sessions of a dead node", metadata: [
                "wse.error": "\(String(reflecting: error))",
            ])
            return .unavailable("the session store is unavailable (PostgreSQL); try again")
        }
    }

    /// Those of `sessions` that `service`'s access rule admits, or that run a process of it.
    func admitted(_ sessions: [UserSessionHolders.SessionOnNode], to service: ServiceID) async throws -> [UserSessionHolders.SessionOnNode] {
        guard let rule = await local.accessRule(of: service) else { return [] }
        if rule.admitsEveryone { return sessions }
        let standing = try await node.directory.standing(of: sessions.map(\.session), toward: service)
        return sessions.filter { session in
            guard let facts = standing[session.session] else { return false }
            return facts.runsService || facts.principal.map(rule.admits) == true
        }
    }

    /// The sessions reached on every node; when none was: a refusal if some node refused, else this node's answer.
    static func combine(_ here: InboundOutcome, _ elsewhere: [InboundOutcome]) -> InboundOutcome {
        var delivered = 0
        var reachedAny = false
        var refusal: InboundOutcome?
        for outcome in [here] + elsewhere {
            switch outcome {
            case .delivered(let count):
                delivered += count
                reachedAny = true
            case .forbidden, .unavailable: refusal = refusal ?? outcome
            case .notFound: break
            }
        }
        if reachedAny { return .delivered(delivered) }
        return refusal ?? here
    }
}
