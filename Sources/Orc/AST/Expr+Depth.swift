extension Expr {
    /// The depth of the tree, computed without recursion (the parser refuses absurdly deep
    /// programs before later phases recurse over them).
    var depth: Int {
        var deepest = 0
        var stack: [(Expr, Int)] = [(self, 1)]
        while let (expression, level) = stack.popLast() {
            deepest = max(deepest, level)
            for child in expression.children { stack.append((child, level + 1)) }
        }
        return deepest
    }

    private var children: [Expr] {
        switch self {
        case .literal, .variable, .stop: return []
        case .call(let target, let arguments, _): return [target] + arguments
        case .field(let target, _, _): return [target]
        case .tuple(let items, _), .list(let items, _): return items
        case .record(let fields, _): return fields.map(\.1)
        case .parallel(let left, let right), .sequence(let left, _, let right), .prune(let left, _, let right),
             .otherwise(let left, let right):
            return [left, right]
        case .lambda(let clause): return [clause.body] + (clause.guardExpr.map { [$0] } ?? [])
        case .conditional(let condition, let thenBranch, let elseBranch, _): return [condition, thenBranch, elseBranch]
        case .declare(let declaration, let body):
            switch declaration {
            case .val(_, let value): return [value, body]
            case .defs(let functions):
                return [body] + functions.flatMap { $0.clauses.flatMap { [$0.body] + ($0.guardExpr.map { [$0] } ?? []) } }
            case .datatype, .importSite: return [body]
            }
        }
    }
}
