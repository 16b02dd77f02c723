/// The callbacks of a run. They are called on the run's interpreter thread, in event order;
/// keep them short (append to a buffer, send to a channel).
public struct OrcRunEvents: Sendable {
    /// A value published by the program's goal expression.
    public var publish: @Sendable (OrcValue) -> Void
    /// Text written by `Print`/`Println`.
    public var print: @Sendable (String) -> Void
    /// A site call failed (the call halted); the reference prints `error.line`.
    public var error: @Sendable (OrcRuntimeError) -> Void

    public init(publish: @escaping @Sendable (OrcValue) -> Void = { _ in },
                print: @escaping @Sendable (String) -> Void = { _ in },
                error: @escaping @Sendable (OrcRuntimeError) -> Void = { _ in }) {
        self.publish = publish
        self.print = print
        self.error = error
    }
}

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

/// Resource limits of a run (nil: unlimited). A run that exceeds one is killed and ends with
/// `.limitExceeded`, so a runaway program cannot take the host down.
public struct OrcRunLimits: Sendable {
    /// Maximum number of tokens alive at once (each pending branch, call or recursion level).
    public var maxTokens: Int?

    public init(maxTokens: Int? = nil) {
        self.maxTokens = maxTokens
    }
}
