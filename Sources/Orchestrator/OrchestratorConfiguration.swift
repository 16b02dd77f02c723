import Metrics
import Orc

/// Limits and options of the orchestrator (OE and CSDR). The defaults suit a node serving browsers;
/// see docs/ORCHESTRATOR.md for what each one protects against.
public struct OrchestratorConfiguration: Sendable {
    /// Resource limits of each run; exceeding one ends the process with an `overloaded` error
    /// naming the limit. By default 100,000 tokens and a memory budget of `defaultRunMemory`.
    public var runLimits: OrcRunLimits
    /// The memory budget of one composition run by default (32 MiB): a node runs many at once.
    public static let defaultRunMemory = 32 << 20
    /// Publications and errors of one run that may wait for a slow client; one more stops the run
    /// with an `overloaded` error (the run's output is not buffered without end).
    public var maxPendingOutputs: Int
    /// The longest a composition may run; nil lets it run until it halts or is cancelled.
    public var maxRunDuration: Duration?
    /// The largest Orc source the CSDR accepts (`PUT` answers 413 above it).
    public var maxSourceBytes: Int
    /// Folders searched by `include "file.inc"` in stored compositions (for example the shipped `compositions/`).
    public var includePaths: [String]
    /// How many parsed program versions are kept in memory.
    public var cachedPrograms: Int
    /// The clock of `maxRunDuration`; tests drive one by hand.
    public var clock: any Clock<Duration>
    /// Where the metrics handles are made (docs/ORCHESTRATOR.md, "Metrics").
    public var metricsFactory: any MetricsFactory

    public init(
        runLimits: OrcRunLimits = OrcRunLimits(maxTokens: 100_000, maxMemory: defaultRunMemory), maxRunDuration: Duration? = .seconds(3600),
        maxPendingOutputs: Int = 10_000,
        maxSourceBytes: Int = 256 * 1024, includePaths: [String] = [], cachedPrograms: Int = 128,
        clock: any Clock<Duration> = ContinuousClock(), metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.runLimits = runLimits
        self.maxRunDuration = maxRunDuration
        self.maxPendingOutputs = maxPendingOutputs
        self.maxSourceBytes = maxSourceBytes
        self.includePaths = includePaths
        self.cachedPrograms = cachedPrograms
        self.clock = clock
        self.metricsFactory = metricsFactory
    }
}
