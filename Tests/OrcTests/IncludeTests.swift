import Foundation
import Testing
import Orc

/// `include` reads only files inside the include folders, of bounded size, and answers the same
/// whether a file outside them exists or not.
@Suite struct IncludeTests {
    /// A temporary tree: `root/lib` (the include folder, with `twice.inc`) and `root/secret.inc` outside it.
    private final class Tree {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("orc-include-\(UUID().uuidString)")
        var library: URL { root.appendingPathComponent("lib") }

        init() throws {
            try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
            try write("def twice(x) = 2 * x", to: library.appendingPathComponent("twice.inc"))
            try write("def secret() = 42", to: root.appendingPathComponent("secret.inc"))
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func write(_ text: String, to url: URL) throws { try text.write(to: url, atomically: true, encoding: .utf8) }

        /// The error of a program that includes `name`, with `lib` as the only include folder.
        func includeError(_ name: String) -> OrcParseError? {
            do throws(OrcParseError) {
                _ = try OrcProgram(source: "include \"\(name)\"\n1", file: root.appendingPathComponent("main.orc").path,
                                   includePaths: [library.path])
                return nil
            } catch {
                return error
            }
        }
    }

    private static func notFound(_ name: String) -> String { "cannot include \"\(name)\": no such file in the include folders" }

    @Test("a file of an include folder is included, by name or by its absolute path")
    func insideTheFolders() async throws {
        let tree = try Tree()
        for name in ["twice.inc", tree.library.appendingPathComponent("twice.inc").path] {
            let program = try OrcProgram(source: "include \"\(name)\"\ntwice(4)", file: "composition:c", includePaths: [tree.library.path])
            #expect(await program.runTranscript(virtualTime: true).text == "8\n")
        }
    }

    @Test("paths out of the folders are refused with the same answer as a file that does not exist")
    func outsideTheFolders() throws {
        let tree = try Tree()
        let secret = tree.root.appendingPathComponent("secret.inc").path
        for name in ["../secret.inc", "secret.inc", secret, "/etc/passwd", "nosuch.inc", "/nosuch/file.inc"] {
            #expect(tree.includeError(name)?.message == Self.notFound(name), "\(name)")
        }
    }

    @Test("a symlink inside a folder that points out of it is refused; one that stays inside is followed")
    func symlinks() async throws {
        let tree = try Tree()
        let outside = tree.library.appendingPathComponent("leak.inc")
        try FileManager.default.createSymbolicLink(atPath: outside.path, withDestinationPath: tree.root.appendingPathComponent("secret.inc").path)
        #expect(tree.includeError("leak.inc")?.message == Self.notFound("leak.inc"))
        let inside = tree.library.appendingPathComponent("alias.inc")
        try FileManager.default.createSymbolicLink(atPath: inside.path, withDestinationPath: tree.library.appendingPathComponent("twice.inc").path)
        #expect(tree.includeError("alias.inc") == nil)
    }

    @Test("an include file larger than 256 KiB is refused")
    func sizeLimit() throws {
        let tree = try Tree()
        let comment = "-- " + String(repeating: "x", count: 1000) + "\n"
        try tree.write(String(repeating: comment, count: 300), to: tree.library.appendingPathComponent("big.inc"))
        let error = try #require(tree.includeError("big.inc"))
        #expect(error.message.contains("at most 256 KiB"))
    }

    @Test("a file that includes itself stops at the include nesting limit")
    func selfInclude() throws {
        let tree = try Tree()
        try tree.write("include \"loop.inc\"\ndef f() = 1", to: tree.library.appendingPathComponent("loop.inc"))
        let error = try #require(tree.includeError("loop.inc"))
        #expect(error.message.contains("includes nested more than 16 deep"))
        #expect(error.location.file.hasSuffix("loop.inc"))
    }
}
