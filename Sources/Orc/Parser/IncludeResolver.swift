import Foundation

/// Finds and parses the files named by `include "f.inc"`: first relative to the directory of the
/// including file, then in each include search path, in order (like orc.jar's bundled includes).
struct IncludeResolver: Sendable {
    var searchPaths: [String]

    func declarations(of path: String, includedFrom file: String, at location: SourceLocation) throws(OrcParseError) -> [Declaration] {
        let baseDirectory = (file as NSString).deletingLastPathComponent
        let candidates = [(baseDirectory as NSString).appendingPathComponent(path)]
            + searchPaths.map { ($0 as NSString).appendingPathComponent(path) }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw OrcParseError(location: location, message: "cannot find include file \"\(path)\" (searched: \(candidates.joined(separator: ", ")))",
                                expected: [])
        }
        guard let source = try? String(contentsOfFile: found, encoding: .utf8) else {
            throw OrcParseError(location: location, message: "cannot read include file \"\(found)\"", expected: [])
        }
        var parser = try Parser(source: source, file: found, includes: self)
        return try parser.parseDeclarationFile()
    }
}
