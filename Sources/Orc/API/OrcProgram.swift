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
            let prelude = try OrcProgram.prelude.get()
            var resolver = Resolver(hostNames: hostNames, topLevelNames: prelude.names)
            return try prelude.frames.reversed().reduce(resolver.resolveProgram(body)) { scope, frame in frame.wrapping(scope) }
        }
        // Ordinary programs in place, on a stack that holds them; others wait for a thread of their own.
        root = try OrcProgram.parsesInPlace(parser) ? parseAndResolve() : LargeStack.run(parseAndResolve)
    }

    /// Whether `init` parses and resolves on the caller's thread rather than `LargeStack`'s.
    static func parsesInPlace(_ parser: Parser) -> Bool {
        parser.fitsOnCallersStack && (LargeStack.callersRemainingStack ?? 0) >= LargeStack.neededInPlace
    }

    /// The prelude, parsed and resolved once (it is the same for every program): the frames that go
    /// around each program's tree, first the outermost, and the names they put in its scope. Resolved
    /// without host names, so that a host name never changes what the prelude's own functions call.
    private static let prelude: Result<(frames: [DeclarationFrame], names: [String]), OrcParseError> = {
        do throws(OrcParseError) {
            var parser = try Parser(source: Prelude.source, file: "<prelude>", includes: IncludeResolver(folders: []))
            var resolver = Resolver(hostNames: [])
            let frames = try resolver.declare(try parser.parseDeclarationFile())
            return .success((frames, resolver.topLevelNames))
        } catch {
            return .failure(error)
        }
    }()
}
