/// A set of running tokens and subgroups that can be killed together (pruning) and whose
/// halting (no member left) can be observed (`;`, pruning with a silent right side).
class Group {
    let parent: Group?
    /// Live members: tokens plus child groups.
    var memberCount = 0
    var isAlive = true
    /// Intrusive list of member tokens (for killing).
    var firstToken: Token?
    var children: [ObjectIdentifier: Group] = [:]

    init(parent: Group?) {
        self.parent = parent
        if let parent {
            parent.memberCount += 1
            parent.children[ObjectIdentifier(self)] = self
        }
    }

    func link(_ token: Token) {
        memberCount += 1
        token.nextInGroup = firstToken
        token.previousInGroup = nil
        firstToken?.previousInGroup = token
        firstToken = token
    }

    /// Removes the token from the member list without touching the count.
    func unlink(_ token: Token) {
        if let previous = token.previousInGroup { previous.nextInGroup = token.nextInGroup } else { firstToken = token.nextInGroup }
        token.nextInGroup?.previousInGroup = token.previousInGroup
        token.nextInGroup = nil
        token.previousInGroup = nil
    }

    /// A publication that reached this group's frame. Default: nothing.
    func publish(_ value: OrcValue, by token: Token, in interpreter: Interpreter) {}

    /// Every member has halted (the group was not killed).
    func halted(in interpreter: Interpreter) {}
}

/// The right side `G` of `F <P< G`: the first publication matching P binds P's futures and kills G;
/// if G halts without one, the futures become dead.
final class PruneGroup: Group {
    let pattern: CorePattern
    let futures: [Future]
    let env: Env?
    let context: GroupInstance?

    init(parent: Group, pattern: CorePattern, futures: [Future], env: Env?, context: GroupInstance?) {
        self.pattern = pattern
        self.futures = futures
        self.env = env
        self.context = context
        super.init(parent: parent)
    }

    override func publish(_ value: OrcValue, by token: Token, in interpreter: Interpreter) {
        guard isAlive, let values = interpreter.match(pattern, value, env: env, context: context) else { return }
        for (future, bound) in zip(futures, values) { interpreter.resolve(future, to: .bound(bound)) }
        interpreter.kill(self)
    }

    override func halted(in interpreter: Interpreter) {
        for future in futures { interpreter.resolve(future, to: .dead) }
    }
}

/// The left side `F` of `F ; G`: when it halts without having published, G starts in the parent.
final class OtherwiseGroup: Group {
    var published = false
    let right: Node
    let env: Env?
    let context: GroupInstance?
    let frames: Frame?
    let clock: VirtualClock?

    init(parent: Group, right: Node, env: Env?, context: GroupInstance?, frames: Frame?, clock: VirtualClock?) {
        self.right = right
        self.env = env
        self.context = context
        self.frames = frames
        self.clock = clock
        super.init(parent: parent)
    }

    override func halted(in interpreter: Interpreter) {
        guard !published, let parent else { return }
        interpreter.spawn(node: right, env: env, context: context, frames: frames, group: parent, clock: clock)
    }
}

/// A group whose publications and halting are handled by Swift code (guards, `MakeSite`, host streams).
final class CallbackGroup: Group {
    var onPublish: (OrcValue, Interpreter) -> Void
    var onHalt: (Interpreter) -> Void

    init(parent: Group, onPublish: @escaping (OrcValue, Interpreter) -> Void, onHalt: @escaping (Interpreter) -> Void) {
        self.onPublish = onPublish
        self.onHalt = onHalt
        super.init(parent: parent)
    }

    override func publish(_ value: OrcValue, by token: Token, in interpreter: Interpreter) {
        if isAlive { onPublish(value, interpreter) }
    }

    override func halted(in interpreter: Interpreter) { onHalt(interpreter) }
}

/// The root of a run: when it halts, the program has halted.
final class RootGroup: Group {
    var onHalted: () -> Void = {}

    init() { super.init(parent: nil) }

    override func halted(in interpreter: Interpreter) { onHalted() }
}
