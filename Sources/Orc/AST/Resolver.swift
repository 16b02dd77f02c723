/// Turns the surface tree into the runtime's `Node` tree: resolves every name to an `Atom`
/// (closure conversion: each def group captures its free variables), deflates compound
/// arguments into pruning, and desugars `val`, `if`, data constructors and `def class`.
struct Resolver {
    /// The names visible inside one def group (or the program's top level when `parent` is nil).
    private final class Scope {
        let parent: Scope?
        let parentLocals: [String]
        let siblings: [String]
        var locals: [String] = []
        var captures: [String] = []
        var captureSources: [Atom] = []

        init(parent: Scope?, siblings: [String]) {
            self.parent = parent
            self.parentLocals = parent?.locals ?? []
            self.siblings = siblings
        }
    }

    private var scope: Scope
    private let hostNames: [String]
    private var temporaryCounter = 0

    /// `topLevelNames`: names already declared at the top level (`declare`'s, the prelude's), in order.
    init(hostNames: [String], topLevelNames: [String] = []) {
        self.hostNames = hostNames
        self.scope = Scope(parent: nil, siblings: [])
        scope.locals = topLevelNames
    }

    mutating func resolveProgram(_ expression: Expr) throws(OrcParseError) -> Node {
        try resolve(expression)
    }

    /// Resolves top-level declarations and leaves their names in scope (`topLevelNames`): the prelude
    /// is resolved once, then put around each program's own tree (`DeclarationFrame.wrapping`).
    mutating func declare(_ declarations: [Declaration]) throws(OrcParseError) -> [DeclarationFrame] {
        var frames: [DeclarationFrame] = []
        for declaration in declarations {
            let (frame, names) = try resolveFrame(of: declaration)
            push(names)
            frames.append(frame)
        }
        return frames
    }

    /// The names in scope at the top level, in the order they were declared.
    var topLevelNames: [String] { scope.locals }

    // MARK: names

    private func lookup(_ name: String, in scope: Scope, locals: [String]) -> Atom? {
        if let index = locals.lastIndex(of: name) { return .local(locals.count - 1 - index) }
        if let index = scope.siblings.firstIndex(of: name) { return .sibling(index) }
        if let index = scope.captures.firstIndex(of: name) { return .capture(index) }
        if let parent = scope.parent {
            guard let outer = lookup(name, in: parent, locals: scope.parentLocals) else { return nil }
            scope.captures.append(name)
            scope.captureSources.append(outer)
            return .capture(scope.captures.count - 1)
        }
        if let index = hostNames.firstIndex(of: name) { return .host(index) }
        if let builtin = Builtins.value(named: name) { return .constant(builtin) }
        return nil
    }

    private func atom(for name: String, at location: SourceLocation) throws(OrcParseError) -> Atom {
        guard let found = lookup(name, in: scope, locals: scope.locals) else {
            throw OrcParseError(location: location, message: "unbound variable `\(name)`", expected: [])
        }
        return found
    }

    private mutating func freshTemporary() -> String {
        temporaryCounter += 1
        return "$t\(temporaryCounter)"
    }

    private func push(_ names: [String]) { scope.locals += names }
    private func pop(_ count: Int) { scope.locals.removeLast(count) }

    // MARK: expressions

    private mutating func resolve(_ expression: Expr) throws(OrcParseError) -> Node {
        switch expression {
        case .literal(let literal, let location): return .constant(ProgramConstant(try Resolver.value(of: literal, at: location)))
        case .variable(let name, let location): return .variable(try atom(for: name, at: location))
        case .stop: return .stop
        case .call(let target, let arguments, let location):
            return try deflate([target] + arguments) { _, atoms in .call(atoms[0], Array(atoms.dropFirst()), location) }
        case .field(let target, let name, let location):
            return try deflate([target]) { _, atoms in .field(atoms[0], name, location) }
        case .tuple(let items, let location):
            return try deflate(items) { _, atoms in .call(.constant(Builtins.tuple), atoms, location) }
        case .list(let items, let location):
            return try deflate(items) { _, atoms in .call(.constant(Builtins.list), atoms, location) }
        case .record(let fields, let location):
            let maker = ProgramConstant(.site(RecordMaker(keys: fields.map(\.0))))
            return try deflate(fields.map(\.1)) { _, atoms in .call(.constant(maker), atoms, location) }
        case .parallel(let left, let right):
            return .parallel(try resolve(left), try resolve(right))
        case .sequence(let left, let pattern, let right):
            let leftNode = try resolve(left)
            guard let pattern else { return .sequence(leftNode, nil, try resolve(right)) }
            let (corePattern, names) = try resolvePattern(pattern)
            push(names)
            defer { pop(names.count) }
            return .sequence(leftNode, corePattern, try resolve(right))
        case .prune(let left, let pattern, let right):
            return try resolvePrune(left, pattern ?? .wildcard, right)
        case .otherwise(let left, let right):
            return .otherwise(try resolve(left), try resolve(right))
        case .lambda(let clause):
            let function = FunctionDef(name: "lambda", clauses: [clause], isClass: false, location: clause.location)
            return try resolveDefs([function], body: .variable("lambda", clause.location))
        case .conditional(let condition, let thenBranch, let elseBranch, let location):
            return try deflate([condition]) { (resolver: inout Resolver, atoms: [Atom]) throws(OrcParseError) -> Node in
                .conditional(atoms[0], try resolver.resolve(thenBranch), try resolver.resolve(elseBranch), location)
            }
        case .declare(let declaration, let body):
            return try resolveDeclaration(declaration, body: body)
        }
    }

    /// `C(E1, E2)` → `C(x1, x2) <x1< E1 <x2< E2` for every non-atomic component.
    private mutating func deflate(_ expressions: [Expr], build: (inout Resolver, [Atom]) throws(OrcParseError) -> Node) throws(OrcParseError) -> Node {
        var named: [Expr] = []
        var pending: [(String, Expr)] = []
        for expression in expressions {
            switch expression {
            case .variable, .literal:
                named.append(expression)
            default:
                let temporary = freshTemporary()
                pending.append((temporary, expression))
                named.append(.variable(temporary, .synthesized))
            }
        }
        return try buildDeflated(named, pending[...], build: build)
    }

    private mutating func buildDeflated(_ named: [Expr], _ pending: ArraySlice<(String, Expr)>,
                                        build: (inout Resolver, [Atom]) throws(OrcParseError) -> Node) throws(OrcParseError) -> Node {
        guard let (temporary, expression) = pending.first else {
            var atoms: [Atom] = []
            for item in named {
                switch item {
                case .variable(let name, let location): atoms.append(try atom(for: name, at: location))
                case .literal(let literal, let location): atoms.append(.constant(ProgramConstant(try Resolver.value(of: literal, at: location))))
                default: break
                }
            }
            return try build(&self, atoms)
        }
        let right = try resolve(expression)
        push([temporary])
        defer { pop(1) }
        return .prune(try buildDeflated(named, pending.dropFirst(), build: build), .bind, right)
    }

    private mutating func resolvePrune(_ left: Expr, _ pattern: Pattern, _ right: Expr) throws(OrcParseError) -> Node {
        let rightNode = try resolve(right)
        let (corePattern, names) = try resolvePattern(pattern)
        push(names)
        defer { pop(names.count) }
        return .prune(try resolve(left), corePattern, rightNode)
    }

    private mutating func resolveDeclaration(_ declaration: Declaration, body: Expr) throws(OrcParseError) -> Node {
        let (frame, names) = try resolveFrame(of: declaration)
        push(names)
        defer { pop(names.count) }
        return frame.wrapping(try resolve(body))
    }

    /// A declaration's node without the code in its scope, and the names it binds for that code.
    private mutating func resolveFrame(of declaration: Declaration) throws(OrcParseError) -> (DeclarationFrame, [String]) {
        switch declaration {
        case .val(let pattern, let value):
            let valueNode = try resolve(value)
            let (corePattern, names) = try resolvePattern(pattern)
            return (.prune(corePattern, valueNode), names)
        case .defs(let functions):
            return (.defs(try resolveDefGroup(functions)), functions.map(\.name))
        case .datatype(let constructors):
            let values = constructors.map { ProgramConstant(.site(Constructor(name: $0.0, arity: $0.1))) }
            return (.bind(values), constructors.map(\.0))
        case .importSite(let name, let className, _):
            let site = Builtins.value(named: name) ?? ProgramConstant(.site(UnsupportedImport(name: name, className: className)))
            return (.bind([site]), [name])
        }
    }

    private mutating func resolveDefs(_ functions: [FunctionDef], body: Expr) throws(OrcParseError) -> Node {
        let group = try resolveDefGroup(functions)
        let names = functions.map(\.name)
        push(names)
        defer { pop(names.count) }
        return .defs(group, try resolve(body))
    }

    private mutating func resolveDefGroup(_ functions: [FunctionDef]) throws(OrcParseError) -> DefGroupCode {
        let outer = scope
        scope = Scope(parent: outer, siblings: functions.map(\.name))
        // Also when a clause does not resolve: the callers' `defer { pop(…) }` pop the outer scope's names.
        defer { scope = outer }
        var codes: [FunctionCode] = []
        for function in functions {
            let clauses = try function.clauses.map { (clause) throws(OrcParseError) in try resolveClause(clause, isClass: function.isClass) }
            codes.append(FunctionCode(name: function.name, arity: function.clauses[0].parameters.count,
                                      isClass: function.isClass, clauses: clauses))
        }
        return DefGroupCode(functions: codes, captureSources: scope.captureSources)
    }

    private mutating func resolveClause(_ clause: Clause, isClass: Bool) throws(OrcParseError) -> ClauseCode {
        scope.locals = []
        var strict: [(Int, CorePattern)] = []
        var strictNames: [String] = []
        for (index, parameter) in clause.parameters.enumerated() {
            switch parameter {
            case .variable(let name): scope.locals.append(name)
            default: scope.locals.append("$arg\(index)")
            }
        }
        for (index, parameter) in clause.parameters.enumerated() {
            switch parameter {
            case .variable, .wildcard: continue
            default:
                let (corePattern, names) = try resolvePattern(parameter)
                strict.append((index, corePattern))
                strictNames += names
            }
        }
        push(strictNames)
        let guardNode = try clause.guardExpr.map { (expression) throws(OrcParseError) -> Node in try resolve(expression) }
        let body = try resolve(isClass ? Resolver.classBody(clause.body, at: clause.location) : clause.body)
        return ClauseCode(arity: clause.parameters.count, strictParameters: strict, guardNode: guardNode, body: body)
    }

    /// `def class` body `decls; goal` → `decls; ({. m = MakeSite(m), … .} | goal >> stop)`.
    /// The record and its `MakeSite` calls are placed at the `def class` clause.
    private static func classBody(_ body: Expr, at location: SourceLocation) -> Expr {
        var members: [String] = []
        func rebuild(_ expression: Expr) -> Expr {
            guard case .declare(let declaration, let scope) = expression else {
                let fields = members.map { name in
                    (name, Expr.call(.variable("MakeSite", location), [.variable(name, location)], location))
                }
                return .parallel(.record(fields, location), .sequence(expression, nil, .stop))
            }
            if case .defs(let functions) = declaration { members += functions.map(\.name) }
            return .declare(declaration, rebuild(scope))
        }
        return rebuild(body)
    }

    // MARK: patterns and literals

    private func resolvePattern(_ pattern: Pattern) throws(OrcParseError) -> (CorePattern, [String]) {
        switch pattern {
        case .variable(let name): return (.bind, [name])
        case .wildcard: return (.wildcard, [])
        case .literal(let literal, let location):
            return (.literal(ProgramConstant(try Resolver.value(of: literal, at: location))), [])
        case .tuple(let items):
            let resolved = try items.map { (item) throws(OrcParseError) in try resolvePattern(item) }
            return (.tuple(resolved.map(\.0)), resolved.flatMap(\.1))
        case .list(let items):
            let resolved = try items.map { (item) throws(OrcParseError) in try resolvePattern(item) }
            return (.list(resolved.map(\.0)), resolved.flatMap(\.1))
        case .cons(let head, let tail):
            let (headPattern, headNames) = try resolvePattern(head)
            let (tailPattern, tailNames) = try resolvePattern(tail)
            return (.cons(headPattern, tailPattern), headNames + tailNames)
        case .record(let fields):
            let resolved = try fields.map { (field) throws(OrcParseError) in (field.0, try resolvePattern(field.1)) }
            return (.record(resolved.map { ($0.0, $0.1.0) }), resolved.flatMap(\.1.1))
        case .call(let name, let arguments, let location):
            let target = try atom(for: name, at: location)
            let resolved = try arguments.map { (item) throws(OrcParseError) in try resolvePattern(item) }
            return (.constructor(target, resolved.map(\.0), location), resolved.flatMap(\.1))
        case .alias(let inner, let name):
            let (innerPattern, names) = try resolvePattern(inner)
            return (.alias(innerPattern), names + [name])
        }
    }

    static func value(of literal: Literal, at location: SourceLocation) throws(OrcParseError) -> OrcValue {
        switch literal {
        case .integer(let digits):
            if let small = Int(digits) { return .int(small) }
            guard let large = BigInt(Substring(digits)) else {
                throw OrcParseError(location: location, message: "malformed integer \(digits)", expected: [])
            }
            return .integer(large)
        case .decimal(let digits):
            guard let decimal = BigDecimal(literal: Substring(digits)) else {
                throw OrcParseError(location: location, message: "malformed number \(digits)", expected: [])
            }
            return .decimal(decimal)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .signal: return .signal
        case .null: return .null
        }
    }
}
