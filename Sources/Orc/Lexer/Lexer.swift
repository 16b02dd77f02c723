import Foundation

/// Splits Orc source text into tokens. Comments (`-- …` and nested `{- … -}`) and whitespace,
/// newlines included, are skipped: Orc's grammar is newline-blind.
struct Lexer {
    static let keywords: Set<String> = [
        "as", "def", "else", "if", "import", "include", "lambda", "signal", "stop", "then", "type", "val",
        "true", "false", "null", "_",
    ]
    /// Longest first, so that `:!:` wins over `:` and `<:` over `<`.
    static let symbols: [String] = [
        ":!:", "**", "&&", "||", "<:", ":>", "<=", ">=", "/=", ":=", "::", "{.", ".}",
        "(", ")", "[", "]", "{", "}", ",", ";", "|", "<", ">", "=", "+", "-", "*", "/", "%", ":", "~", "?", ".", "#",
    ]
    /// `symbols` as scalars, split once rather than at every token.
    private static let symbolScalars: [(symbol: String, scalars: [Unicode.Scalar])] = symbols.map { ($0, Array($0.unicodeScalars)) }

    let file: String
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(source: String, file: String) {
        self.file = file
        self.scalars = Array(source.unicodeScalars)
    }

    mutating func tokenize() throws(OrcParseError) -> [LexToken] {
        var tokens: [LexToken] = []
        while true {
            try skipTrivia()
            let location = SourceLocation(file: file, line: line, column: column)
            guard let scalar = peek() else {
                tokens.append(LexToken(kind: .end, location: location))
                return tokens
            }
            tokens.append(LexToken(kind: try lexToken(startingWith: scalar, at: location), location: location))
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private mutating func skipTrivia() throws(OrcParseError) {
        while let scalar = peek() {
            if scalar.properties.isWhitespace {
                advance()
            } else if scalar == "-" && peek(1) == "-" {
                while let next = peek(), next != "\n" { _ = next; advance() }
            } else if scalar == "{" && peek(1) == "-" {
                let start = SourceLocation(file: file, line: line, column: column)
                var depth = 0
                repeat {
                    guard let current = peek() else {
                        throw OrcParseError(location: start, message: "unterminated comment `{-`", expected: ["`-}`"])
                    }
                    if current == "{" && peek(1) == "-" { depth += 1; advance(); advance() }
                    else if current == "-" && peek(1) == "}" { depth -= 1; advance(); advance() }
                    else { advance() }
                } while depth > 0
            } else {
                return
            }
        }
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar == "_"
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "'"
        }
    }

    private mutating func lexToken(startingWith scalar: Unicode.Scalar, at location: SourceLocation) throws(OrcParseError) -> LexToken.Kind {
        if Lexer.isIdentifierStart(scalar) {
            var name = ""
            while let next = peek(), Lexer.isIdentifierPart(next) { name.unicodeScalars.append(next); advance() }
            // Identifiers are compared in Unicode normal form C (string literals are not).
            let normalized = name.precomposedStringWithCanonicalMapping
            return Lexer.keywords.contains(normalized) ? .keyword(normalized) : .identifier(normalized)
        }
        if ("0"..."9").contains(scalar) { return lexNumber() }
        if scalar == "\"" { return try lexString(at: location) }
        for (symbol, symbolScalars) in Lexer.symbolScalars where matches(symbolScalars) {
            for _ in symbolScalars { advance() }
            return .symbol(symbol)
        }
        throw OrcParseError(location: location, message: "unexpected character `\(scalar)`", expected: [])
    }

    private func matches(_ symbol: [Unicode.Scalar]) -> Bool {
        for offset in symbol.indices where peek(offset) != symbol[offset] { return false }
        return true
    }

    private mutating func lexNumber() -> LexToken.Kind {
        var text = ""
        var isDecimal = false
        func isDigit(_ scalar: Unicode.Scalar?) -> Bool { scalar.map { ("0"..."9").contains($0) } ?? false }
        while isDigit(peek()) { text.unicodeScalars.append(peek()!); advance() }
        if peek() == ".", isDigit(peek(1)) {
            isDecimal = true
            text += "."
            advance()
            while isDigit(peek()) { text.unicodeScalars.append(peek()!); advance() }
        }
        if let e = peek(), e == "e" || e == "E" {
            let signOffset = (peek(1) == "+" || peek(1) == "-") ? 1 : 0
            if isDigit(peek(1 + signOffset)) {
                isDecimal = true
                for _ in 0...signOffset { text.unicodeScalars.append(peek()!); advance() }
                while isDigit(peek()) { text.unicodeScalars.append(peek()!); advance() }
            }
        }
        return isDecimal ? .decimal(text) : .integer(text)
    }

    private mutating func lexString(at location: SourceLocation) throws(OrcParseError) -> LexToken.Kind {
        advance()
        var value = ""
        while true {
            guard let scalar = peek(), scalar != "\n" else {
                throw OrcParseError(location: location, message: "unterminated string literal", expected: ["`\"`"])
            }
            advance()
            if scalar == "\"" { return .string(value) }
            if scalar != "\\" { value.unicodeScalars.append(scalar); continue }
            guard let escaped = peek() else { continue }
            advance()
            switch escaped {
            case "n": value += "\n"
            case "t": value += "\t"
            case "r": value += "\r"
            case "f": value += "\u{0C}"
            case "u":
                var hex = ""
                for _ in 0..<4 { if let digit = peek() { hex.unicodeScalars.append(digit); advance() } }
                if let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) { value.unicodeScalars.append(decoded) }
            default: value.unicodeScalars.append(escaped)
            }
        }
    }
}
