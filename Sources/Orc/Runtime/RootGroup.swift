/// The root of a run: when it halts, the program has halted.
final class RootGroup: Group {
    var onHalted: () -> Void = {}

    init() { super.init(parent: nil) }

    override func halted(in interpreter: Interpreter) { onHalted() }
}
