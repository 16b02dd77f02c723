/// Resource limits of a run (nil: unlimited). A run that exceeds one is killed and ends with
/// `.limitExceeded`, so a runaway program cannot take the host down.
public struct OrcRunLimits: Sendable {
    /// Maximum number of tokens alive at once (each pending branch, call or recursion level).
    public var maxTokens: Int?

    public init(maxTokens: Int? = nil) {
        self.maxTokens = maxTokens
    }
}
