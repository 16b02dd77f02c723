/// A position in an Orc source file (1-based line and column).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    /// The place of code the engine writes itself and that has no text of its own (the temporary
    /// variables of deflation): nothing that can fail is ever given it.
    public static let synthesized = SourceLocation(file: "<synthesized>", line: 0, column: 0)

    /// A place somewhere in `file`, not known: for an error about the file as a whole (it cannot be read).
    public static func unknown(file: String) -> SourceLocation {
        SourceLocation(file: file, line: 0, column: 0)
    }

    /// The first character of `file`: for an error about its whole text (too deeply nested, not a
    /// value for `Read`).
    public static func start(of file: String) -> SourceLocation {
        SourceLocation(file: file, line: 1, column: 1)
    }
}
