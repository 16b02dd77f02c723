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
public final class Closure {
    let instance: GroupInstance
    let index: Int

    init(instance: GroupInstance, index: Int) {
        self.instance = instance
        self.index = index
    }

    var function: FunctionCode { instance.code.functions[index] }
}
