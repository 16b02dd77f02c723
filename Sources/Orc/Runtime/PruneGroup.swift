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
