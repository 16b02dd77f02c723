/// The callbacks of a run. They are called on the run's interpreter thread, in event order;
/// keep them short (append to a buffer, send to a channel).
public struct OrcRunEvents: Sendable {
    /// A value published by the program's goal expression.
    public var publish: @Sendable (OrcValue) -> Void
    /// Text written by `Print`/`Println`.
    public var print: @Sendable (String) -> Void
    /// A site call failed (the call halted); the reference prints `error.line`.
    public var error: @Sendable (OrcRuntimeError) -> Void
    /// The run ended (halted, killed, blocked forever or over a limit): the last event.
    public var finished: @Sendable (OrcRunOutcome) -> Void

    public init(publish: @escaping @Sendable (OrcValue) -> Void = { _ in },
                print: @escaping @Sendable (String) -> Void = { _ in },
                error: @escaping @Sendable (OrcRuntimeError) -> Void = { _ in },
                finished: @escaping @Sendable (OrcRunOutcome) -> Void = { _ in }) {
        self.publish = publish
        self.print = print
        self.error = error
        self.finished = finished
    }
}
