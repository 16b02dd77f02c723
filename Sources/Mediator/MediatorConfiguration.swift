import Metrics
import WSECore

/// Settings of the mediator that are not per service (docs/MEDIATOR.md).
public struct MediatorConfiguration: Sendable {
    /// The URL of this node's connector IN, sent to connectors as `callback`.
    public var callbackURL: String
    /// Consecutive connector failures after which a service's circuit opens.
    public var breakerThreshold: Int
    /// How long an open circuit refuses calls before it lets one trial call through (half-open).
    public var breakerCoolDown: Duration
    /// The clock of the circuit breakers and latency figures; tests replace it.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Where the per-service metrics go: the process-wide `MetricsSystem` unless given (tests pass their own).
    public var metricsFactory: any MetricsFactory
    /// Limits per session and per user.
    public var quotas: MediatorQuotas
    /// Cluster mode: the shared process table, told of each process before its connector is called (and of its
    /// end); nil on a node that runs alone, which then pays nothing for it (docs/CLUSTER.md).
    public var processDirectory: (any ProcessDirectory)?
    /// Cluster mode with the shared session store: on graceful shutdown the sessions' basic processes are let go
    /// (their connectors are not told), so the node where each session resumes adopts them (docs/CLUSTER.md).
    public var handsOverOnShutdown = false
    /// Where a usage record goes when a request or process is over (queued there, written later); nil: none are made.
    public var usage: (any UsageRecording)?

    public init(
        callbackURL: String, breakerThreshold: Int = 5, breakerCoolDown: Duration = .seconds(30),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        metricsFactory: any MetricsFactory = MetricsSystem.factory, quotas: MediatorQuotas = MediatorQuotas()
    ) {
        self.callbackURL = callbackURL
        self.breakerThreshold = max(1, breakerThreshold)
        self.breakerCoolDown = breakerCoolDown
        self.now = now
        self.metricsFactory = metricsFactory
        self.quotas = quotas
    }
}
