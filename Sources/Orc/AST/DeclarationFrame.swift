/// A resolved declaration without the code in its scope: what `Resolver.declare` keeps of the
/// prelude, resolved once, to put around every program's own tree.
enum DeclarationFrame: Sendable {
    /// `val P = E`: the code in scope is the left side of `<P< E`.
    case prune(CorePattern, Node)
    case defs(DefGroupCode)
    /// A datatype's constructors, or an imported site.
    case bind([ProgramConstant])

    /// The declaration's node with `body` as the code in its scope.
    func wrapping(_ body: Node) -> Node {
        switch self {
        case .prune(let pattern, let value): .prune(body, pattern, value)
        case .defs(let group): .defs(group, body)
        case .bind(let values): .bind(values, body)
        }
    }
}
