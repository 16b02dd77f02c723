import Foundation

/// Parses Orc 2.1 source into the surface syntax tree (`Expr`). Type annotations are parsed and
/// dropped. `include` is resolved while parsing, through `IncludeResolver`.
struct Parser: Sendable {
    private(set) var tokens: [LexToken]
    private var position = 0
    /// Current depth of nested expressions (parentheses, branches, bodies).
    private var nesting = 0
    /// Deeper source is refused: it would only exhaust the stack of whoever parses or frees it.
    static let maximumNesting = 200
    private let includes: IncludeResolver
    private let fileName: String

    init(source: String, file: String, includes: IncludeResolver) throws(OrcParseError) {
        var lexer = Lexer(source: source, file: file)
        tokens = try lexer.tokenize()
        self.includes = includes
        self.fileName = file
    }

    /// A whole program: declarations followed by a goal expression.
    mutating func parseProgram() throws(OrcParseError) -> Expr {
        let expression = try parseExpression()
        try expectEnd()
        if expression.depth > Parser.maximumDepth {
            throw OrcParseError(location: .start(of: fileName),
                                message: "program nested more than \(Parser.maximumDepth) levels deep (a chain of combinators or declarations that long)",
                                expected: [])
        }
        return expression
    }

    /// Maximum depth of a program's tree (combinator chains and declarations included).
    static let maximumDepth = 2_500

    /// A file of declarations only (an include file or the prelude).
    mutating func parseDeclarationFile() throws(OrcParseError) -> [Declaration] {
        var declarations: [Declaration] = []
        while startsDeclaration { declarations += try parseDeclarationRun() }
        try expectEnd()
        return declarations
    }

    // MARK: token helpers

    private var current: LexToken { tokens[position] }
    private func peek(_ offset: Int = 1) -> LexToken { tokens[min(position + offset, tokens.count - 1)] }

    private func isSymbol(_ symbol: String, _ token: LexToken? = nil) -> Bool {
        if case .symbol(let found) = (token ?? current).kind { return found == symbol }
        return false
    }

    private func isKeyword(_ word: String, _ token: LexToken? = nil) -> Bool {
        if case .keyword(let found) = (token ?? current).kind { return found == word }
        return false
    }

    private mutating func accept(_ symbol: String) -> Bool {
        if isSymbol(symbol) { position += 1; return true }
        return false
    }

    private mutating func acceptKeyword(_ word: String) -> Bool {
        if isKeyword(word) { position += 1; return true }
        return false
    }

    private func failure(_ message: String, expected: [String]) -> OrcParseError {
        OrcParseError(location: current.location, message: "\(message), found \(current.display)", expected: expected)
    }

    private mutating func expect(_ symbol: String, context: String) throws(OrcParseError) {
        guard accept(symbol) else { throw failure("unexpected token \(context)", expected: ["`\(symbol)`"]) }
    }

    private mutating func expectKeyword(_ word: String, context: String) throws(OrcParseError) {
        guard acceptKeyword(word) else { throw failure("unexpected token \(context)", expected: ["`\(word)`"]) }
    }

    private func expectEnd() throws(OrcParseError) {
        if case .end = current.kind { return }
        throw failure("unexpected token after the end of the expression",
                      expected: ["an operator", "a combinator (`|`, `>x>`, `<x<`, `;`)", "end of file"])
    }

    private mutating func identifier(context: String) throws(OrcParseError) -> String {
        if case .identifier(let name) = current.kind { position += 1; return name }
        throw failure("unexpected token \(context)", expected: ["an identifier"])
    }

    // MARK: expressions

    private var startsDeclaration: Bool {
        isKeyword("val") || isKeyword("def") || isKeyword("type") || isKeyword("import") || isKeyword("include")
    }

    mutating func parseExpression() throws(OrcParseError) -> Expr {
        try descend()
        defer { nesting -= 1 }
        var declarations: [Declaration] = []
        while startsDeclaration { declarations += try parseDeclarationRun() }
        let expression = try parseOtherwise()
        while accept("::") || accept(":!:") { try skipType() }
        if declarations.isEmpty { return expression }
        let scoped = declarations.reversed().reduce(expression) { scope, declaration in .declare(declaration, scope) }
        try checkDepth(scoped.depth)
        return scoped
    }

    /// Enters one more level of recursive descent; refuses source nested deeper than `maximumNesting`
    /// (the caller leaves with `defer { nesting -= 1 }`).
    private mutating func descend() throws(OrcParseError) {
        nesting += 1
        guard nesting <= Parser.maximumNesting else {
            throw failure("expression nested more than \(Parser.maximumNesting) levels deep", expected: [])
        }
    }

    /// Refuses, where the parser stands, a tree that a chain (`a + b + …`, `a >> b >> …`, `f(x)(y)…`)
    /// or a run of declarations made deeper than `maximumDepth`: later phases walk it recursively.
    private func checkDepth(_ depth: Int) throws(OrcParseError) {
        guard depth <= Parser.maximumDepth else {
            throw failure("program nested more than \(Parser.maximumDepth) levels deep (a chain of operators, combinators or declarations that long)",
                          expected: [])
        }
    }

    /// The depth of a chain as a loop builds it, one link at a time.
    private struct ChainDepth {
        private var depth: Int?

        /// Adds a link joining the chain so far (`left`) and an operand that deep; returns the new depth.
        mutating func link(_ left: Expr, operandDepth: Int) -> Int {
            let new = max(depth ?? left.depth, operandDepth) + 1
            depth = new
            return new
        }
    }

    private mutating func parseOtherwise() throws(OrcParseError) -> Expr {
        var left = try parsePruning()
        var chain = ChainDepth()
        while accept(";") {
            let right = try parsePruning()
            try checkDepth(chain.link(left, operandDepth: right.depth))
            left = .otherwise(left, right)
        }
        return left
    }

    private mutating func parsePruning() throws(OrcParseError) -> Expr {
        var left = try parseParallel()
        var chain = ChainDepth()
        while accept("<") {
            let pattern = isSymbol("<") ? nil : try parsePattern()
            try expect("<", context: "closing the pruning combinator `<x<`")
            let right = try parseParallel()
            try checkDepth(chain.link(left, operandDepth: right.depth))
            left = .prune(left, pattern, right)
        }
        return left
    }

    private mutating func parseParallel() throws(OrcParseError) -> Expr {
        var left = try parseSequence()
        var chain = ChainDepth()
        while accept("|") {
            let right = try parseSequence()
            try checkDepth(chain.link(left, operandDepth: right.depth))
            left = .parallel(left, right)
        }
        return left
    }

    /// `a >x> b >y> c` is right-associative; built with a loop, not recursion.
    private mutating func parseSequence() throws(OrcParseError) -> Expr {
        var steps: [(Expr, Pattern?)] = []
        var last = try parseAssignment()
        var deepestStep = 0
        while accept(">") {
            let pattern = isSymbol(">") ? nil : try parsePattern()
            try expect(">", context: "closing the sequential combinator `>x>`")
            steps.append((last, pattern))
            deepestStep = max(deepestStep, last.depth)
            try checkDepth(steps.count + deepestStep)
            last = try parseAssignment()
        }
        if !steps.isEmpty { try checkDepth(steps.count + max(deepestStep, last.depth)) }
        return steps.reversed().reduce(last) { right, step in .sequence(step.0, step.1, right) }
    }

    private func operatorCall(_ name: String, _ operands: [Expr], _ location: SourceLocation) -> Expr {
        .call(.variable(name, location), operands, location)
    }

    private mutating func parseAssignment() throws(OrcParseError) -> Expr {
        let left = try parseLogical()
        let location = current.location
        if accept(":=") { return operatorCall(":=", [left, try parseLogical()], location) }
        return left
    }

    private mutating func parseLogical() throws(OrcParseError) -> Expr {
        var left = try parseComparison()
        var chain = ChainDepth()
        while isSymbol("||") || isSymbol("&&") {
            let location = current.location
            guard case .symbol(let op) = current.kind else { break }
            position += 1
            let right = try parseComparison()
            try checkDepth(chain.link(left, operandDepth: right.depth))
            left = operatorCall(op, [left, right], location)
        }
        return left
    }

    private static let comparisonOperators: Set<String> = ["=", "/=", "<:", ":>", "<=", ">="]

    private mutating func parseComparison() throws(OrcParseError) -> Expr {
        let left = try parseCons()
        if case .symbol(let op) = current.kind, Parser.comparisonOperators.contains(op) {
            let location = current.location
            position += 1
            return operatorCall(op, [left, try parseCons()], location)
        }
        return left
    }

    private mutating func parseCons() throws(OrcParseError) -> Expr {
        let left = try parseAdditive()
        let location = current.location
        if accept(":") {
            try descend()
            defer { nesting -= 1 }
            return operatorCall(":", [left, try parseCons()], location)
        }
        return left
    }

    private mutating func parseAdditive() throws(OrcParseError) -> Expr {
        var left = try parseMultiplicative()
        var chain = ChainDepth()
        while isSymbol("+") || isSymbol("-") {
            let location = current.location
            guard case .symbol(let op) = current.kind else { break }
            position += 1
            let right = try parseMultiplicative()
            try checkDepth(chain.link(left, operandDepth: right.depth))
            left = operatorCall(op, [left, right], location)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(OrcParseError) -> Expr {
        var left = try parseExponent()
        var chain = ChainDepth()
        while isSymbol("*") || isSymbol("/") || isSymbol("%") {
            let location = current.location
            guard case .symbol(let op) = current.kind else { break }
            position += 1
            let right = try parseExponent()
            try checkDepth(chain.link(left, operandDepth: right.depth))
            left = operatorCall(op, [left, right], location)
        }
        return left
    }

    private mutating func parseExponent() throws(OrcParseError) -> Expr {
        let left = try parseUnary()
        let location = current.location
        if accept("**") {
            try descend()
            defer { nesting -= 1 }
            return operatorCall("**", [left, try parseExponent()], location)
        }
        return left
    }

    private mutating func parseUnary() throws(OrcParseError) -> Expr {
        let location = current.location
        if isSymbol("-") {
            switch peek().kind {
            case .integer(let digits):
                position += 2
                return try parsePostfix(.literal(.integer("-" + digits), location))
            case .decimal(let digits):
                position += 2
                return try parsePostfix(.literal(.decimal("-" + digits), location))
            default:
                position += 1
                try descend()
                defer { nesting -= 1 }
                return operatorCall("0-", [try parseUnary()], location)
            }
        }
        if accept("~") {
            try descend()
            defer { nesting -= 1 }
            return operatorCall("~", [try parseUnary()], location)
        }
        return try parsePostfix(try parsePrimary())
    }

    private mutating func parsePostfix(_ start: Expr) throws(OrcParseError) -> Expr {
        var expression = start
        var chain = ChainDepth()
        while true {
            let location = current.location
            if accept("(") {
                let arguments = try parseList(closing: ")")
                try checkDepth(chain.link(expression, operandDepth: arguments.map(\.depth).max() ?? 0))
                expression = .call(expression, arguments, location)
            } else if isSymbol("."), case .identifier(let name) = peek().kind {
                try checkDepth(chain.link(expression, operandDepth: 0))
                position += 2
                expression = .field(expression, name, location)
            } else if accept("?") {
                try checkDepth(chain.link(expression, operandDepth: 0))
                expression = operatorCall("?", [expression], location)
            } else if isSymbol("["), skipTypeArgumentsBeforeCall() {
                continue
            } else {
                return expression
            }
        }
    }

    /// `f[T](x)`: skips `[T]` when it is followed by `(`; otherwise leaves the `[` alone.
    private mutating func skipTypeArgumentsBeforeCall() -> Bool {
        let saved = position
        position += 1
        do {
            try skipTypeList(closing: "]")
            if isSymbol("(") { return true }
        } catch {}
        position = saved
        return false
    }

    private mutating func parseList(closing: String) throws(OrcParseError) -> [Expr] {
        var items: [Expr] = []
        if accept(closing) { return items }
        repeat { items.append(try parseExpression()) } while accept(",")
        try expect(closing, context: "in a list of expressions")
        return items
    }

    private static let operatorNames: Set<String> = [
        "+", "-", "*", "/", "%", "**", "=", "/=", "<:", ":>", "<=", ">=", "&&", "||", ":", "~", "?", ":=",
    ]

    /// `(+)`, `(0-)`: the name of an operator used as a value.
    private mutating func parseOperatorName() -> String? {
        guard isSymbol("(") else { return nil }
        if case .symbol(let op) = peek().kind, Parser.operatorNames.contains(op), isSymbol(")", peek(2)) {
            position += 3
            return op
        }
        if case .integer("0") = peek().kind, isSymbol("-", peek(2)), isSymbol(")", peek(3)) {
            position += 4
            return "0-"
        }
        return nil
    }

    private mutating func parsePrimary() throws(OrcParseError) -> Expr {
        let token = current
        let location = token.location
        switch token.kind {
        case .integer(let digits): position += 1; return .literal(.integer(digits), location)
        case .decimal(let digits): position += 1; return .literal(.decimal(digits), location)
        case .string(let text): position += 1; return .literal(.string(text), location)
        case .identifier(let name): position += 1; return .variable(name, location)
        case .keyword("true"): position += 1; return .literal(.bool(true), location)
        case .keyword("false"): position += 1; return .literal(.bool(false), location)
        case .keyword("signal"): position += 1; return .literal(.signal, location)
        case .keyword("null"): position += 1; return .literal(.null, location)
        case .keyword("stop"): position += 1; return .stop
        case .keyword("lambda"):
            position += 1
            return .lambda(try parseClauseAfterName(location: location))
        case .keyword("if"):
            position += 1
            let condition = try parseExpression()
            try expectKeyword("then", context: "after the condition of `if`")
            let thenBranch = try parseExpression()
            try expectKeyword("else", context: "after the `then` branch (Orc requires `else`)")
            return .conditional(condition, thenBranch, try parseExpression(), location)
        case _ where startsDeclaration:
            return try parseExpression()
        case .symbol("("):
            if let name = parseOperatorName() { return .variable(name, location) }
            position += 1
            let items = try parseList(closing: ")")
            switch items.count {
            case 0: return .literal(.signal, location)
            case 1: return items[0]
            default: return .tuple(items, location)
            }
        case .symbol("["):
            position += 1
            return .list(try parseList(closing: "]"), location)
        case .symbol("{."):
            position += 1
            var fields: [(String, Expr)] = []
            if !accept(".}") {
                repeat {
                    let key = try identifier(context: "as a record field name")
                    try expect("=", context: "after the record field name")
                    fields.append((key, try parseExpression()))
                } while accept(",")
                try expect(".}", context: "closing the record")
            }
            return .record(fields, location)
        default:
            throw failure("expected an expression", expected: [
                "a literal", "an identifier", "`(`", "`[`", "`{.`", "`stop`", "`if`", "`lambda`", "a declaration",
            ])
        }
    }

    // MARK: patterns

    private mutating func parsePattern() throws(OrcParseError) -> Pattern {
        try descend()
        defer { nesting -= 1 }
        var pattern = try parseConsPattern()
        var aliases = 0
        defer { nesting -= aliases }
        while true {
            if acceptKeyword("as") {
                try descend()
                aliases += 1
                pattern = .alias(pattern, try identifier(context: "after `as` in a pattern"))
            } else if accept("::") {
                try skipType()
            } else {
                return pattern
            }
        }
    }

    private mutating func parseConsPattern() throws(OrcParseError) -> Pattern {
        let head = try parsePrimaryPattern()
        if accept(":") {
            try descend()
            defer { nesting -= 1 }
            return .cons(head, try parseConsPattern())
        }
        return head
    }

    private mutating func parsePatternList(closing: String) throws(OrcParseError) -> [Pattern] {
        var items: [Pattern] = []
        if accept(closing) { return items }
        repeat { items.append(try parsePattern()) } while accept(",")
        try expect(closing, context: "in a list of patterns")
        return items
    }

    private mutating func parsePrimaryPattern() throws(OrcParseError) -> Pattern {
        let token = current
        switch token.kind {
        case .identifier(let name):
            position += 1
            if accept("(") { return .call(name, try parsePatternList(closing: ")"), token.location) }
            return .variable(name)
        case .keyword("_"): position += 1; return .wildcard
        case .integer(let digits): position += 1; return .literal(.integer(digits), token.location)
        case .decimal(let digits): position += 1; return .literal(.decimal(digits), token.location)
        case .string(let text): position += 1; return .literal(.string(text), token.location)
        case .keyword("true"): position += 1; return .literal(.bool(true), token.location)
        case .keyword("false"): position += 1; return .literal(.bool(false), token.location)
        case .keyword("signal"): position += 1; return .literal(.signal, token.location)
        case .keyword("null"): position += 1; return .literal(.null, token.location)
        case .symbol("-"):
            position += 1
            switch current.kind {
            case .integer(let digits): position += 1; return .literal(.integer("-" + digits), token.location)
            case .decimal(let digits): position += 1; return .literal(.decimal("-" + digits), token.location)
            default: throw failure("expected a number after `-` in a pattern", expected: ["a number"])
            }
        case .symbol("("):
            position += 1
            let items = try parsePatternList(closing: ")")
            switch items.count {
            case 0: return .literal(.signal, token.location)
            case 1: return items[0]
            default: return .tuple(items)
            }
        case .symbol("["):
            position += 1
            return .list(try parsePatternList(closing: "]"))
        case .symbol("{."):
            position += 1
            var fields: [(String, Pattern)] = []
            if !accept(".}") {
                repeat {
                    let key = try identifier(context: "as a record pattern field")
                    try expect("=", context: "after the record pattern field name")
                    fields.append((key, try parsePattern()))
                } while accept(",")
                try expect(".}", context: "closing the record pattern")
            }
            return .record(fields)
        default:
            throw failure("expected a pattern", expected: ["an identifier", "`_`", "a literal", "`(`", "`[`", "`{.`"])
        }
    }

    // MARK: declarations

    /// One declaration, or a maximal run of adjacent `def`s merged into one recursive group.
    private mutating func parseDeclarationRun() throws(OrcParseError) -> [Declaration] {
        if !isKeyword("def") { return try parseDeclaration() }
        var functions: [FunctionDef] = []
        while isKeyword("def") {
            let location = current.location
            position += 1
            let isClass: Bool
            if case .identifier("class") = current.kind, isIdentifierToken(peek()) {
                isClass = true
                position += 1
            } else {
                isClass = false
            }
            let name: String
            if let operatorName = parseOperatorName() { name = operatorName } else { name = try identifier(context: "after `def`") }
            if isSymbol("[") { position += 1; try skipTypeList(closing: "]") }
            let clause = try parseClauseOrSignature(location: location)
            _ = accept("#")
            guard let clause else { continue }
            if let index = functions.firstIndex(where: { $0.name == name }) {
                functions[index].clauses.append(clause)
            } else {
                functions.append(FunctionDef(name: name, clauses: [clause], isClass: isClass, location: location))
            }
        }
        return functions.isEmpty ? [] : [.defs(functions)]
    }

    private func isIdentifierToken(_ token: LexToken) -> Bool {
        if case .identifier = token.kind { return true }
        return false
    }

    /// After `def name[T]`: a clause `(patterns) :: T if (g) = body`, or a signature `(types) :: T` (nil).
    private mutating func parseClauseOrSignature(location: SourceLocation) throws(OrcParseError) -> Clause? {
        let saved = position
        let clauseError: OrcParseError
        do {
            return try parseClauseAfterName(location: location)
        } catch {
            clauseError = error
        }
        position = saved
        try expect("(", context: "after the function name")
        try skipTypeList(closing: ")")
        if accept("::") { try skipType() }
        // A clause that does not parse: its own error, kept rather than parsed again (which, for
        // `def`s nested in failing bodies, doubled the work at each level).
        if isSymbol("=") || isKeyword("if") { throw clauseError }
        return nil
    }

    private mutating func parseClauseAfterName(location: SourceLocation) throws(OrcParseError) -> Clause {
        if isSymbol("[") { position += 1; try skipTypeList(closing: "]") }
        try expect("(", context: "before the parameters")
        let parameters = try parsePatternList(closing: ")")
        if accept("::") { try skipType() }
        var guardExpr: Expr?
        if acceptKeyword("if") {
            try expect("(", context: "before the guard")
            guardExpr = try parseExpression()
            try expect(")", context: "after the guard")
        }
        try expect("=", context: "before the function body")
        let body = try parseExpression()
        return Clause(parameters: parameters, guardExpr: guardExpr, body: body, location: location)
    }

    private mutating func parseDeclaration() throws(OrcParseError) -> [Declaration] {
        let location = current.location
        if acceptKeyword("val") {
            let pattern = try parsePattern()
            try expect("=", context: "after the pattern of `val`")
            let value = try parseExpression()
            _ = accept("#")
            return [.val(pattern, value)]
        }
        if acceptKeyword("type") {
            _ = try identifier(context: "after `type`")
            if accept("[") { try skipTypeList(closing: "]") }
            guard accept("=") else { return [] }
            if case .identifier = current.kind, isSymbol("(", peek()) {
                var constructors: [(String, Int)] = []
                repeat {
                    let name = try identifier(context: "as a constructor name")
                    try expect("(", context: "after the constructor name")
                    var arity = 0
                    if !accept(")") {
                        repeat { arity += 1; try skipType() } while accept(",")
                        try expect(")", context: "closing the constructor")
                    }
                    constructors.append((name, arity))
                } while accept("|")
                _ = accept("#")
                return [.datatype(constructors)]
            }
            try skipType()
            _ = accept("#")
            return []
        }
        if acceptKeyword("import") {
            let kind = try identifier(context: "after `import` (site, class or type)")
            let name = try identifier(context: "as the imported name")
            if isSymbol("[") { position += 1; try skipTypeList(closing: "]") }
            try expect("=", context: "after the imported name")
            guard case .string(let target) = current.kind else {
                throw failure("expected a quoted class name", expected: ["string literal"])
            }
            position += 1
            _ = accept("#")
            return kind == "type" ? [] : [.importSite(name, target, location)]
        }
        if acceptKeyword("include") {
            guard case .string(let path) = current.kind else {
                throw failure("expected the quoted name of the file to include", expected: ["string literal"])
            }
            position += 1
            _ = accept("#")
            return try includes.declarations(of: path, includedFrom: fileName, at: location)
        }
        throw failure("expected a declaration", expected: ["`val`", "`def`", "`type`", "`import`", "`include`"])
    }

    // MARK: types (parsed and ignored)

    private mutating func skipTypeList(closing: String) throws(OrcParseError) {
        if accept(closing) { return }
        repeat { try skipType() } while accept(",")
        try expect(closing, context: "in a list of types")
    }

    private mutating func skipType() throws(OrcParseError) {
        try descend()
        defer { nesting -= 1 }
        if acceptKeyword("lambda") {
            if accept("[") { try skipTypeList(closing: "]") }
            try expect("(", context: "in a function type")
            try skipTypeList(closing: ")")
            try expect("::", context: "in a function type")
            try skipType()
            return
        }
        if accept("(") { try skipTypeList(closing: ")"); return }
        if accept("{.") {
            if accept(".}") { return }
            repeat {
                _ = try identifier(context: "in a record type")
                try expect("::", context: "in a record type")
                try skipType()
            } while accept(",")
            try expect(".}", context: "closing the record type")
            return
        }
        if acceptKeyword("_") || acceptKeyword("signal") { return }
        _ = try identifier(context: "where a type was expected")
        if accept("[") { try skipTypeList(closing: "]") }
    }
}
