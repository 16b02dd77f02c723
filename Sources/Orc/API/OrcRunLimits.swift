/// Resource limits of a run (nil: unlimited). A run that exceeds one is killed and ends with
/// `.limitExceeded`, so a runaway program cannot take the host down.
public struct OrcRunLimits: Sendable {
    /// The memory budget of a run when none is given: 64 MiB.
    public static let defaultMaxMemory = 64 << 20

    /// Maximum number of tokens alive at once (each pending branch, call or recursion level).
    public var maxTokens: Int?
    /// Approximate bytes the run may hold at once, counted by a fixed cost per token,
    /// continuation frame, channel element, array slot and dictionary entry (the cost model of
    /// docs/ORC.md, "Resource limits"); an `Array` larger than what is left is refused at once.
    public var maxMemory: Int?

    public init(maxTokens: Int? = nil, maxMemory: Int? = OrcRunLimits.defaultMaxMemory) {
        self.maxTokens = maxTokens
        self.maxMemory = maxMemory
    }
}
