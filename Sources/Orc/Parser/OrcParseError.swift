/// A program that does not lex or parse: where, what went wrong, and what the parser expected there.
public struct OrcParseError: Error, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// Human-readable descriptions of the tokens that would have been accepted (may be empty).
    public var expected: [String]

    public init(location: SourceLocation, message: String, expected: [String]) {
        self.location = location
        self.message = message
        self.expected = expected
    }

    /// `file:line:column: message (expected …)`, the form `wse orc check` prints.
    public var description: String {
        let expectation = expected.isEmpty ? "" : " (expected \(expected.joined(separator: " or ")))"
        return "\(location): \(message)\(expectation)"
    }
}
