/// Whether a source is shallow enough to be parsed and resolved on the caller's own stack (if that
/// has `LargeStack.neededInPlace` left), judged from its tokens before parsing: ordinary programs
/// are, so that making one does not block a thread (often a Swift-concurrency one) waiting for
/// `LargeStack`; deep ones, and any with an `include` (whose tokens are not seen here), are not.
extension Parser {
    /// Nesting (brackets plus right-nesting tokens on one path) parsed in place.
    static let maximumNestingInPlace = 16
    /// Bounds the tree's depth (a chain or declaration run needs a token or more per level).
    static let maximumTokensInPlace = 1_024

    var fitsOnCallersStack: Bool {
        guard tokens.count <= Parser.maximumTokensInPlace else { return false }
        var nesting = 0
        var deepest = 0
        /// The nesting outside each open bracket, to return to when it closes.
        var outside: [Int] = []
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .keyword("include"):
                return false
            case .symbol("("), .symbol("["), .symbol("{."), .symbol("{"):
                outside.append(nesting)
                nesting += 1
            case .symbol(")"), .symbol("]"), .symbol(".}"), .symbol("}"):
                nesting = outside.popLast() ?? nesting
            case .symbol("~"), .symbol("-"), .symbol("**"), .symbol(":"),
                 .keyword("if"), .keyword("lambda"), .keyword("as"):
                // Right-nesting without a closing token: counted until the enclosing bracket closes.
                nesting += 1
            case .symbol("="):
                // A body that starts with a declaration nests that declaration's own body.
                if index + 1 < tokens.count, case .keyword(let next) = tokens[index + 1].kind,
                   ["val", "def", "type", "import"].contains(next) {
                    nesting += 1
                }
            default:
                break
            }
            deepest = max(deepest, nesting)
            if deepest >= Parser.maximumNestingInPlace { return false }
        }
        return true
    }
}
