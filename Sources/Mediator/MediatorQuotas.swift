/// Per-session and per-user limits that keep one client from filling the node (docs/MEDIATOR.md, Quotas).
/// A call over a limit is refused with `overloaded`, naming the limit.
public struct MediatorQuotas: Sendable {
    /// Processes in flight per browser session.
    public var processesPerSession: Int
    /// Composition runs in flight per user, across sessions and compositions' own calls (each run holds
    /// an OS thread with a large stack reservation).
    public var compositionsPerUser: Int

    public init(processesPerSession: Int = 100, compositionsPerUser: Int = 8) {
        self.processesPerSession = max(1, processesPerSession)
        self.compositionsPerUser = max(1, compositionsPerUser)
    }
}
