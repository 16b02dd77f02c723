import Foundation

/// The shared Orc conformance corpus (`<repo>/../shared/orc-conformance`): its manifest and the
/// expected-output blocks embedded in each program, compared with upstream's rules.
struct ConformanceCorpus {
    struct Entry {
        var path: String
        var tags: [String]
    }

    /// One acceptable outcome of a program.
    struct ExpectedBlock {
        var text: String
        var permutable: Bool

        func matches(_ actual: String) -> Bool {
            guard permutable else { return actual == text }
            func lines(_ string: String) -> [String] {
                var pieces = string.components(separatedBy: "\n")
                while pieces.last == "" { pieces.removeLast() }
                return pieces.sorted()
            }
            return lines(actual) == lines(text)
        }
    }

    let root: URL
    let entries: [Entry]

    static var defaultRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/orc-conformance")
    }

    init(root: URL = ConformanceCorpus.defaultRoot) throws {
        self.root = root
        let manifest = try String(contentsOf: root.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        entries = manifest.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 5 else { return nil }
            return Entry(path: columns[0], tags: columns[4] == "-" ? [] : columns[4].split(separator: ",").map(String.init))
        }
    }

    var includePaths: [String] { [root.appendingPathComponent("resource-includes").path] }

    func url(of entry: Entry) -> URL { root.appendingPathComponent(entry.path) }

    /// Upstream's rule: a line starting with `OUTPUT:` opens a block (`OUTPUT:PERMUTABLE` a
    /// permutable one); lines up to one starting with `-}` belong to it.
    static func expectedBlocks(in source: String) -> [ExpectedBlock] {
        var blocks: [ExpectedBlock] = []
        var current: ExpectedBlock?
        for line in source.components(separatedBy: "\n") {
            if var block = current {
                if line.hasPrefix("-}") {
                    blocks.append(block)
                    current = nil
                } else {
                    block.text += line + "\n"
                    current = block
                }
            } else if line.hasPrefix("OUTPUT:") {
                current = ExpectedBlock(text: "", permutable: line.hasPrefix("OUTPUT:PERMUTABLE"))
            }
        }
        return blocks
    }
}
