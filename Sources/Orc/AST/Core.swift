/// A value written into a program's tree, which runs on many threads share: a literal (plain
/// data) or a built-in site that keeps no state between calls (an operator, a constructor, a data
/// builder, a state-site factory such as `Channel`, whose calls make new state in the calling run).
/// Only the resolver and `Builtins` make them, from those kinds of values: that is why this one
/// wrapper may be `@unchecked Sendable` while `OrcValue` is not.
struct ProgramConstant: @unchecked Sendable {
    let value: OrcValue

    init(_ value: OrcValue) { self.value = value }
}

/// Where a variable's value comes from at run time, fixed by the resolver.
enum Atom: Sendable {
    case constant(ProgramConstant)
    /// A binding in the token's local environment, counted from the innermost (0).
    case local(Int)
    /// A free variable captured by the enclosing def group when its closures were created.
    case capture(Int)
    /// Another function of the same def group (mutual recursion).
    case sibling(Int)
    /// A name the host provides for the run (a host site or a bound variable like `request`).
    case host(Int)
}

/// A resolved pattern; variables are bound in left-to-right order.
indirect enum CorePattern: Sendable {
    case bind
    case wildcard
    case literal(ProgramConstant)
    case tuple([CorePattern])
    case list([CorePattern])
    case cons(CorePattern, CorePattern)
    case record([(String, CorePattern)])
    /// `C(p1, …)` at its place in the source (a user-defined `unapply` call reports errors there).
    case constructor(Atom, [CorePattern], SourceLocation)
    case alias(CorePattern)
}

/// The resolved, desugared program the runtime executes: operators are site calls, compound
/// arguments are deflated into pruning (`C(x) <x< E`), variables are resolved to `Atom`s.
indirect enum Node: Sendable {
    case stop
    case constant(ProgramConstant)
    case variable(Atom)
    case call(Atom, [Atom], SourceLocation)
    case field(Atom, String, SourceLocation)
    case parallel(Node, Node)
    /// `F >P> G`; nil pattern binds nothing (`>>`).
    case sequence(Node, CorePattern?, Node)
    /// `F <P< G`: the pattern's variables are bound (as futures) in F.
    case prune(Node, CorePattern, Node)
    case otherwise(Node, Node)
    /// Creates one closure per function of the group and binds them, in order, for the body.
    case defs(DefGroupCode, Node)
    case conditional(Atom, Node, Node, SourceLocation)
    /// Binds constant values (constructors, imported sites) for the body.
    case bind([ProgramConstant], Node)
}

extension Node {
    /// Where the node comes from in the source, for the nodes that can raise errors.
    var location: SourceLocation? {
        switch self {
        case .call(_, _, let location), .field(_, _, let location), .conditional(_, _, _, let location):
            return location.line > 0 ? location : nil
        default:
            return nil
        }
    }
}

/// The code of a group of mutually recursive functions, sharing one capture list.
final class DefGroupCode: Sendable {
    let functions: [FunctionCode]
    /// Where each captured variable comes from, in the scope that creates the closures.
    let captureSources: [Atom]

    init(functions: [FunctionCode], captureSources: [Atom]) {
        self.functions = functions
        self.captureSources = captureSources
    }
}

/// One function: its clauses, tried in order.
final class FunctionCode: Sendable {
    let name: String
    let arity: Int
    let isClass: Bool
    let clauses: [ClauseCode]

    init(name: String, arity: Int, isClass: Bool, clauses: [ClauseCode]) {
        self.name = name
        self.arity = arity
        self.isClass = isClass
        self.clauses = clauses
    }
}

/// One clause: the arguments are bound first, then each strict parameter's pattern variables.
struct ClauseCode: Sendable {
    var arity: Int
    /// (argument index, pattern) for every parameter that is not a plain variable or `_`.
    var strictParameters: [(Int, CorePattern)]
    var guardNode: Node?
    var body: Node
}
