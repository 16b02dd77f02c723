import Foundation

/// A parsed and resolved Orc program, ready to run any number of times.
///
/// Parsing puts the prelude in scope, follows `include`s (relative to the including file, then
/// the `includePaths`), and checks that every name is bound; names the host will supply at run
/// time (sites, bound variables such as `request`) must be listed in `hostNames`.
public struct OrcProgram: Sendable {
    public let file: String
    public let hostNames: [String]
    let root: Node

    public init(source: String, file: String = "<program>", includePaths: [String] = [], hostNames: [String] = []) throws(OrcParseError) {
        self.file = file
        self.hostNames = hostNames
        root = try LargeStack.run { () throws(OrcParseError) -> Node in
            var parser = try Parser(source: source, file: file, includes: IncludeResolver(searchPaths: includePaths))
            let body = try parser.parseProgram()
            let program = try OrcProgram.preludeDeclarations().reversed().reduce(body) { scope, declaration in
                Expr.declare(declaration, scope)
            }
            var resolver = Resolver(hostNames: hostNames)
            return try resolver.resolveProgram(program)
        }
    }

    /// Reads and parses a file.
    public init(contentsOfFile path: String, includePaths: [String] = [], hostNames: [String] = []) throws(OrcParseError) {
        guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw OrcParseError(location: .unknown(file: path), message: "cannot read file", expected: [])
        }
        try self.init(source: source, file: path, includePaths: includePaths, hostNames: hostNames)
    }

    private static let prelude: Result<[Declaration], OrcParseError> = {
        do throws(OrcParseError) {
            var parser = try Parser(source: Prelude.source, file: "<prelude>", includes: IncludeResolver(searchPaths: []))
            return .success(try parser.parseDeclarationFile())
        } catch {
            return .failure(error)
        }
    }()

    private static func preludeDeclarations() throws(OrcParseError) -> [Declaration] {
        try prelude.get()
    }
}
