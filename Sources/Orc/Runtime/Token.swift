/// What a publication does next: the continuation stack of a token (persistent, shared by forks).
final class Frame {
    enum Kind {
        /// `>P>`: run the right side with the pattern's bindings.
        case sequence(CorePattern?, Node, Env?, GroupInstance?)
        /// Publication of the right side of a pruning, a guard, `MakeSite`…: handled by the group.
        case group(Group)
        /// Leaving the left side of `;`: it has published.
        case otherwise(OtherwiseGroup)
    }

    let kind: Kind
    let next: Frame?

    init(_ kind: Kind, _ next: Frame?) {
        self.kind = kind
        self.next = next
    }
}

/// A thread of an Orc computation: what it evaluates, in which environment, where its publications
/// go, which group can kill it and which virtual clock it runs under.
final class Token {
    enum State {
        case runnable
        /// Waiting on a future, a site call or a timer; `quiescent` waits let virtual clocks advance.
        case blocked(quiescent: Bool)
        case done
    }

    /// The next step when the token runs.
    enum Action {
        case evaluate
        case publish(OrcValue)
        case halt
        case enterClause(Closure, [Binding], Int)
        case guardResult(Closure, [Binding], Int, Env?, Bool)
    }

    var node: Node
    var env: Env?
    var context: GroupInstance?
    var frames: Frame?
    var group: Group
    var clock: VirtualClock?
    var state: State = .runnable
    var action: Action = .evaluate
    /// Increments on every block, so that a late wake-up for an older wait is ignored.
    var generation = 0
    /// Cancels the pending site call or timer when the token is killed.
    var cancelPending: (() -> Void)?
    /// Counted as busy in its virtual clock (runnable, or blocked on something non-quiescent).
    var countedBusy = false
    var nextInGroup: Token?
    unowned(unsafe) var previousInGroup: Token?

    init(node: Node, env: Env?, context: GroupInstance?, frames: Frame?, group: Group, clock: VirtualClock?) {
        self.node = node
        self.env = env
        self.context = context
        self.frames = frames
        self.group = group
        self.clock = clock
    }

    var isDone: Bool {
        if case .done = state { return true }
        return false
    }
}
