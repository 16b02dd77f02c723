/// How a run ended.
public enum OrcRunOutcome: Sendable, Equatable {
    /// The program halted: nothing is running and no call is pending.
    case halted
    /// `OrcRunHandle.kill()` stopped it.
    case killed
    /// Every token waits on something that can never happen (no timer, no pending host call or
    /// stream read). orc.jar would wait forever; we stop and say so.
    case blockedForever
    /// A resource limit of `OrcRunLimits` was exceeded; the run was killed.
    case limitExceeded(String)
}
