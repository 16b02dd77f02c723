import Foundation
import Orc

/// Parses composition sources the way the OE runs them: with the composition bindings in scope and
/// `include` searching the configured folders. Used by the CSDR (to refuse what does not parse) and the OE.
struct CompositionCompiler: Sendable {
    let includePaths: [String]

    func compile(id: String, source: String) throws(OrcParseError) -> OrcProgram {
        let file = Self.fileName(id)
        do {
            return try OrcProgram(source: source, file: file, includePaths: includePaths, hostNames: CompositionBindings.names)
        } catch {
            throw redacted(error, file: file)
        }
    }

    /// The file name parse errors and runtime errors show for a stored composition.
    static func fileName(_ id: String) -> String { "composition:\(id)" }

    /// An error inside a file that the composition included from outside the include folders (an
    /// absolute path) says where, but not what the file contains.
    private func redacted(_ error: OrcParseError, file: String) -> OrcParseError {
        let where_ = error.location.file
        guard where_ != file, !includePaths.contains(where: { where_.hasPrefix(($0 as NSString).standardizingPath + "/") }) else { return error }
        return OrcParseError(location: error.location, message: "the included file \(where_) is not an Orc declaration file", expected: [])
    }
}
