import Foundation

/// A parsed and resolved Orc program, ready to run any number of times.
///
/// Parsing puts the prelude in scope, follows `include`s (relative to the including file, then
/// the `includePaths`; only files inside those folders, see `IncludeResolver`), and checks that every name is bound; names the host will supply at run
/// time (sites, bound variables such as `request`) must be listed in `hostNames`.
public struct OrcProgram: Sendable {
    public let file: String
    public let hostNames: [String]
    let root: Node

    public init(source: String, file: String = "<program>", includePaths: [String] = [], hostNames: [String] = []) throws(OrcParseError) {
        try self.init(source: source, file: file, includes: IncludeResolver(folders: includePaths), hostNames: hostNames)
    }

    /// Reads and parses a file; its folder is an include folder too, before the `includePaths`.
    public init(contentsOfFile path: String, includePaths: [String] = [], hostNames: [String] = []) throws(OrcParseError) {
        guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw OrcParseError(location: .unknown(file: path), message: "cannot read file", expected: [])
        }
        let folder = (path as NSString).deletingLastPathComponent
        try self.init(source: source, file: path, includes: IncludeResolver(folders: [folder.isEmpty ? "." : folder] + includePaths),
                      hostNames: hostNames)
    }

    private init(source: String, file: String, includes: IncludeResolver, hostNames: [String]) throws(OrcParseError) {
        self.file = file
        self.hostNames = hostNames
        let parser = try Parser(source: source, file: file, includes: includes)
        let parseAndResolve = { @Sendable () throws(OrcParseError) -> Node in
            var parser = parser
            let body = try parser.parseProgram()
            let program = try OrcProgram.preludeDeclarations().reversed().reduce(body) { scope, declaration in
                Expr.declare(declaration, scope)
            }
            var resolver = Resolver(hostNames: hostNames)
            return try resolver.resolveProgram(program)
        }
        // Ordinary programs in place, on a stack that holds them; others wait for a thread of their own.
        root = try OrcProgram.parsesInPlace(parser) ? parseAndResolve() : LargeStack.run(parseAndResolve)
    }

    /// Whether `init` parses and resolves on the caller's thread rather than `LargeStack`'s.
    static func parsesInPlace(_ parser: Parser) -> Bool {
        parser.fitsOnCallersStack && (LargeStack.callersRemainingStack ?? 0) >= LargeStack.neededInPlace
    }

    private static let prelude: Result<[Declaration], OrcParseError> = {
        do throws(OrcParseError) {
            var parser = try Parser(source: Prelude.source, file: "<prelude>", includes: IncludeResolver(folders: []))
            return .success(try parser.parseDeclarationFile())
        } catch {
            return .failure(error)
        }
    }()

    private static func preludeDeclarations() throws(OrcParseError) -> [Declaration] {
        try prelude.get()
    }
}
