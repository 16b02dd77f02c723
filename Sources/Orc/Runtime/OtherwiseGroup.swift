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
