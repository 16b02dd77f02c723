import Metrics
import Orc

/// Limits and options of the orchestrator (OE and CSDR). The defaults suit a node serving browsers;
/// see docs/ORCHESTRATOR.md for what each one protects against.
public struct OrchestratorConfiguration: Sendable {
    /// Resource limits of each run; exceeding one ends the process with an `overloaded` error.
    public var runLimits: OrcRunLimits
    /// The longest a composition may run; nil lets it run until it halts or is cancelled.
    public var maxRunDuration: Duration?
    /// The largest Orc source the CSDR accepts (`PUT` answers 413 above it).
    public var maxSourceBytes: Int
    /// Folders searched by `include "file.inc"` in stored compositions (for example the shipped `compositions/`).
    public var includePaths: [String]
    /// How many parsed program versions are kept in memory.
    public var cachedPrograms: Int
    /// Where the metrics go: the process-wide `MetricsSystem` unless given (tests pass their own).
    public var metrics: any MetricsFactory

    public init(
        runLimits: OrcRunLimits = OrcRunLimits(maxTokens: 100_000), maxRunDuration: Duration? = .seconds(3600),
        maxSourceBytes: Int = 256 * 1024, includePaths: [String] = [], cachedPrograms: Int = 128,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.runLimits = runLimits
        self.maxRunDuration = maxRunDuration
        self.maxSourceBytes = maxSourceBytes
        self.includePaths = includePaths
        self.cachedPrograms = cachedPrograms
        self.metrics = metrics
    }
}
