import WSECore

/// The answer to a push for a process that this node's mediator does not know although the process directory
/// lists it, and that this node does not send on (docs/CLUSTER.md, "Guarantees"). With the shared store such a
/// process is between nodes: its node died and its session has not resumed elsewhere yet, it is being taken over
/// here (``ArrivingSessions``), or, for a push another node sent here, it has just moved on. The connector is then
/// to push again (503), not to end the process (404). A dead node's rows go with the sweep once its sessions can no
/// longer resume; with `memory` they never resume, and `notFound` stands.
struct Unroutable: Sendable {
    let node: String
    let sharedSessions: Bool
    let arriving: ArrivingSessions
    let directory: ClusterDirectory

    /// For a push another node sent here: the process is looked up first.
    func answer(
        _ pid: ProcessID, otherwise notFound: InboundOutcome, askingAgain askAgain: () async -> InboundOutcome
    ) async -> InboundOutcome {
        guard sharedSessions else { return notFound }
        do {
            guard let owner = try await directory.owner(of: pid) else { return notFound }
            return await answer(pid, owner: owner, otherwise: notFound, askingAgain: askAgain)
        } catch {
            return .unavailable("the process directory is unavailable (PostgreSQL); try again")
        }
    }

    /// - Parameter askAgain: the push to this node's mediator once more.
    func answer(
        _ pid: ProcessID, owner: ProcessOwner, otherwise notFound: InboundOutcome, askingAgain askAgain: () async -> InboundOutcome
    ) async -> InboundOutcome {
        guard sharedSessions else { return notFound }
        if owner.node == node, !(owner.session.map(arriving.contains) ?? false) {
            // Listed here but not arriving: adopted since the mediator was asked (it takes the push now), or gone
            // (e.g. a process of a restarted node's session that never came back: 404).
            return await askAgain()
        }
        return .unavailable("process \(pid) is moving to another node with its session; try again")
    }
}
