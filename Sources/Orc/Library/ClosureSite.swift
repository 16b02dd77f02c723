/// A closure run as a site (`MakeSite(f)`, methods of `def class` instances, and class
/// construction itself): strict in its arguments, answers with the body's first publication, and
/// the body keeps running in a group of its own that the caller's pruning cannot kill.
final class ClosureSite: Site {
    let closure: Closure

    init(closure: Closure) {
        self.closure = closure
        super.init(name: closure.function.name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        let interpreter = call.interpreter
        var answered = false
        let group = CallbackGroup(parent: interpreter.root, onPublish: { value, _ in
            guard !answered else { return }
            answered = true
            call.publish(value)
        }, onHalt: { _ in
            if !answered { call.halt() }
        })
        let token = interpreter.spawn(node: .stop, env: nil, context: nil, frames: Frame(.group(group), nil),
                                      group: group, clock: call.token.clock)
        token.action = .enterClause(closure, arguments.map { .value($0) }, 0)
        return .pending(quiescent: true)
    }
}
