import Foundation

/// Finds and parses the files named by `include "f.inc"`, only inside the include folders: the
/// name is looked up relative to the including file, then in each folder in order (like orc.jar's
/// bundled includes), and a file is taken only if, symlinks resolved, it lies inside one of the
/// folders (so `..` and absolute names may not leave them; the corpus' `x/y/c.inc` includes
/// `../d.inc`), and no larger than `maximumFileBytes`. A name that is not
/// found and one that is not allowed get the same error, so that a program cannot probe which
/// files exist on the node.
struct IncludeResolver: Sendable {
    static let maximumFileBytes = 256 * 1024
    /// Includes within includes, at most (a file that includes itself stops here).
    static let maximumNesting = 16

    /// The include folders as given (for the names of included files) and with symlinks resolved.
    private let folders: [(given: String, resolved: String)]
    private var nesting = 0

    init(folders: [String]) {
        self.folders = folders.compactMap { folder in IncludeResolver.realPath(folder).map { (folder, $0) } }
    }

    func declarations(of path: String, includedFrom file: String, at location: SourceLocation) throws(OrcParseError) -> [Declaration] {
        guard nesting < IncludeResolver.maximumNesting else {
            throw OrcParseError(location: location, message: "includes nested more than \(IncludeResolver.maximumNesting) deep (does a file include itself?)",
                                expected: [])
        }
        guard let found = allowedFile(path, includedFrom: file) else {
            throw OrcParseError(location: location, message: "cannot include \"\(path)\": no such file in the include folders", expected: [])
        }
        guard let source = IncludeResolver.contents(of: found.resolved) else {
            throw OrcParseError(location: location,
                                message: "cannot include \"\(path)\": not a readable text file of at most \(IncludeResolver.maximumFileBytes / 1024) KiB",
                                expected: [])
        }
        var inner = self
        inner.nesting += 1
        var parser = try Parser(source: source, file: found.name, includes: inner)
        return try parser.parseDeclarationFile()
    }

    /// The first candidate that exists and lies inside an include folder: its name (under the folder
    /// as given, for error messages) and its real path.
    private func allowedFile(_ path: String, includedFrom file: String) -> (name: String, resolved: String)? {
        guard !path.isEmpty else { return nil }
        let base = (file as NSString).deletingLastPathComponent
        let candidates = path.hasPrefix("/")
            ? [path]
            : (base.isEmpty ? [] : [(base as NSString).appendingPathComponent(path)])
                + folders.map { ($0.given as NSString).appendingPathComponent(path) }
        for candidate in candidates {
            guard let resolved = IncludeResolver.realPath(candidate),
                  folders.contains(where: { resolved.hasPrefix($0.resolved == "/" ? "/" : $0.resolved + "/") }) else { continue }
            return (candidate, resolved)
        }
        return nil
    }

    /// The text of a regular file no larger than `maximumFileBytes`.
    private static func contents(of path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = attributes[.size] as? Int, size <= maximumFileBytes,
              let data = FileManager.default.contents(atPath: path), data.count <= maximumFileBytes else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// The path with every symlink resolved, or nil if it does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
