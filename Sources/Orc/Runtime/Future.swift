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

/// A persistent (shared, immutable) linked environment; index 0 is the innermost binding.
final class Env {
    let binding: Binding
    let next: Env?

    init(_ binding: Binding, _ next: Env?) {
        self.binding = binding
        self.next = next
    }

    func lookup(_ depth: Int) -> Binding {
        var node = self
        for _ in 0..<depth { node = node.next! }
        return node.binding
    }
}

/// One evaluation of a `def` group: the captured bindings shared by its closures.
final class GroupInstance {
    let code: DefGroupCode
    let captures: [Binding]

    init(code: DefGroupCode, captures: [Binding]) {
        self.code = code
        self.captures = captures
    }
}

/// A function value (from `def` or `lambda`). Calling it is lenient: the body starts at once.
public final class Closure: @unchecked Sendable {
    let instance: GroupInstance
    let index: Int

    init(instance: GroupInstance, index: Int) {
        self.instance = instance
        self.index = index
    }

    var function: FunctionCode { instance.code.functions[index] }
}
