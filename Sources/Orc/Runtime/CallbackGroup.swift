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
