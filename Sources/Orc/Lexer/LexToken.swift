/// One lexical token of Orc source.
struct LexToken: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case keyword(String)
        case integer(String)
        case decimal(String)
        case string(String)
        /// Operators and punctuation, e.g. `(`, `>`, `<:`, `{.`, `:=`.
        case symbol(String)
        case end
    }

    var kind: Kind
    var location: SourceLocation

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let name): return "identifier `\(name)`"
        case .keyword(let word): return "`\(word)`"
        case .integer(let text), .decimal(let text): return "number `\(text)`"
        case .string: return "string literal"
        case .symbol(let symbol): return "`\(symbol)`"
        case .end: return "end of file"
        }
    }
}
