/// A literal constant as written in source.
public enum Literal: Sendable, Equatable {
    case integer(String)
    case decimal(String)
    case string(String)
    case bool(Bool)
    case signal
    case null
}

/// The surface syntax tree of an Orc expression, as the parser produces it (types already dropped).
public indirect enum Expr: Sendable {
    case literal(Literal, SourceLocation)
    case variable(String, SourceLocation)
    case stop
    case call(Expr, [Expr], SourceLocation)
    case field(Expr, String, SourceLocation)
    case tuple([Expr], SourceLocation)
    case list([Expr], SourceLocation)
    case record([(String, Expr)], SourceLocation)
    case parallel(Expr, Expr)
    /// `F >P> G`; a nil pattern is `>>`.
    case sequence(Expr, Pattern?, Expr)
    /// `F <P< G`; a nil pattern is `<<`.
    case prune(Expr, Pattern?, Expr)
    case otherwise(Expr, Expr)
    case lambda(Clause)
    case conditional(Expr, Expr, Expr, SourceLocation)
    case declare(Declaration, Expr)
}

/// A pattern in `>P>`, `<P<`, `val P = …` and function parameters.
public indirect enum Pattern: Sendable {
    case variable(String)
    case wildcard
    case literal(Literal, SourceLocation)
    case tuple([Pattern])
    case list([Pattern])
    case cons(Pattern, Pattern)
    case record([(String, Pattern)])
    /// `C(p1, …)`: matches values built by constructor `C`.
    case call(String, [Pattern], SourceLocation)
    case alias(Pattern, String)
}

/// One clause of a `def` (or a `lambda`): parameters, optional guard, body.
public struct Clause: Sendable {
    public var parameters: [Pattern]
    public var guardExpr: Expr?
    public var body: Expr
    public var location: SourceLocation
}

/// A function definition made of one or more clauses; `isClass` marks a 2.1 `def class`.
public struct FunctionDef: Sendable {
    public var name: String
    public var clauses: [Clause]
    public var isClass: Bool
    public var location: SourceLocation
}

/// A declaration; its scope is the expression that follows it.
public enum Declaration: Sendable {
    case val(Pattern, Expr)
    /// A maximal run of adjacent `def`s: one mutually recursive group.
    case defs([FunctionDef])
    /// `type T = A(_, _) | B()`: constructor names and arities.
    case datatype([(String, Int)])
    /// `import site Name = "class.name"`.
    case importSite(String, String, SourceLocation)
}
