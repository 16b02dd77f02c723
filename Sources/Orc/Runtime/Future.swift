/// The value of a variable bound by pruning (`<x<`, `val`) or passed leniently to a function:
/// unbound until the right side publishes, then bound, or dead if it halted silently.
final class Future {
    enum State {
        case unbound
        case bound(OrcValue)
        case dead
    }

    var state: State = .unbound
    /// Tokens blocked on this future, with the wait generation they blocked at.
    var waiters: [(Token, Int)] = []
}

/// What a name refers to in an environment: a value, or a future that may not be bound yet.
enum Binding {
    case value(OrcValue)
    case future(Future)
}
