import Metrics

/// Limits of connector IN (docs/MEDIATOR.md, "Connector IN").
public struct ConnectorInConfiguration: Sendable {
    /// Bodies larger than this are refused with 413.
    public var maxBodyBytes: Int
    /// The rate each connector key may push at; nil means unlimited.
    public var rate: PushRate?
    /// Where the answer counts go: the process-wide `MetricsSystem` unless given (tests pass their own).
    public var metrics: any MetricsFactory

    public init(
        maxBodyBytes: Int = 64 * 1024, rate: PushRate? = PushRate(perSecond: 1000, burst: 2000),
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.rate = rate
        self.metrics = metrics
    }
}

/// A token bucket's settings: `perSecond` pushes on average, up to `burst` at once.
public struct PushRate: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = max(perSecond, .leastNonzeroMagnitude)
        self.burst = max(burst, 1)
    }
}
