/// `Read(s)`: parses the Orc literal syntax of a value (numbers, strings, booleans, `signal`,
/// `null`, tuples, lists, records) — the inverse of `Write`.
enum ValueReader {
    static func read(_ text: String) throws(OrcParseError) -> OrcValue {
        var parser = try Parser(source: text, file: "<Read>", includes: IncludeResolver(folders: []))
        return try value(of: try parser.parseProgram())
    }

    private static func value(of expression: Expr) throws(OrcParseError) -> OrcValue {
        switch expression {
        case .literal(let literal, let location):
            return try Resolver.value(of: literal, at: location)
        case .call(.variable("0-", _), let operands, let location) where operands.count == 1:
            guard let negated = Arithmetic.negate(try value(of: operands[0])) else { throw notAValue(location) }
            return negated
        case .tuple(let items, _):
            return .tuple(try items.map { (item) throws(OrcParseError) in try value(of: item) })
        case .list(let items, _):
            return .list(OrcList(try items.map { (item) throws(OrcParseError) in try value(of: item) }))
        case .record(let fields, _):
            return .record(OrcRecord(try fields.map { (field) throws(OrcParseError) in (field.0, try value(of: field.1)) }))
        case .variable(_, let location), .call(_, _, let location), .field(_, _, let location):
            throw notAValue(location)
        default:
            throw OrcParseError(location: .start(of: "<Read>"), message: "not a value literal", expected: [])
        }
    }

    private static func notAValue(_ location: SourceLocation) -> OrcParseError {
        OrcParseError(location: location, message: "not a value literal", expected: ["a number", "a string", "a tuple, list or record"])
    }
}
