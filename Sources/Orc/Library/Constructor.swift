/// A datatype constructor declared by `type T = C(_, _) | …` (also `Some`/`None` of the prelude).
public final class Constructor: Site {
    let arity: Int

    init(name: String, arity: Int) {
        self.arity = arity
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        guard arguments.count == arity else { return .error(.arity(expected: arity, got: arguments.count)) }
        return .publish(.data(self, arguments))
    }
}
