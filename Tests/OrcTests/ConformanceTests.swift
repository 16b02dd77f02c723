import Foundation
import Testing
import Orc

/// Runs every program of the shared conformance corpus in virtual-time mode and compares its
/// output with the expected blocks; fails if fewer pass than `conformance-ratchet.txt` says.
@Suite struct ConformanceTests {
    struct Result: Sendable {
        var path: String
        var tags: [String]
        var passed: Bool
        var detail: String
    }

    static let ratchetFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("conformance-ratchet.txt")

    @Test func corpusPassesAtLeastTheRatchet() async throws {
        let corpusRoot = ConformanceCorpus.defaultRoot
        guard FileManager.default.fileExists(atPath: corpusRoot.appendingPathComponent("MANIFEST.tsv").path) else {
            Issue.record("Orc conformance corpus not found at \(corpusRoot.path): the harness needs ../shared/orc-conformance next to the repository")
            return
        }
        let corpus = try ConformanceCorpus(root: corpusRoot)
        let ratchetText = try String(contentsOf: Self.ratchetFile, encoding: .utf8)
        let ratchet = try #require(Int(ratchetText.trimmingCharacters(in: .whitespacesAndNewlines)))
        let only = ProcessInfo.processInfo.environment["ORC_CONFORMANCE_ONLY"]
        let entries = corpus.entries.filter { only == nil || $0.path.contains(only!) }

        var results: [Result] = []
        await withTaskGroup(of: Result.self) { group in
            var pending = entries[...]
            for _ in 0..<3 {
                guard let entry = pending.popFirst() else { break }
                group.addTask { await Self.run(entry, in: corpus) }
            }
            while let result = await group.next() {
                results.append(result)
                if let entry = pending.popFirst() { group.addTask { await Self.run(entry, in: corpus) } }
            }
        }
        results.sort { $0.path < $1.path }
        let passed = results.filter(\.passed).count
        print(Self.report(results))
        print("Orc conformance: \(passed)/\(results.count) passed (ratchet \(ratchet))")
        if only == nil {
            #expect(passed >= ratchet, "fewer corpus programs pass than the ratchet in conformance-ratchet.txt")
        }
    }

    static func run(_ entry: ConformanceCorpus.Entry, in corpus: ConformanceCorpus) async -> Result {
        let url = corpus.url(of: entry)
        guard let source = try? String(contentsOf: url, encoding: .utf8) else {
            return Result(path: entry.path, tags: entry.tags, passed: false, detail: "cannot read")
        }
        let blocks = ConformanceCorpus.expectedBlocks(in: source)
        do {
            let program = try OrcProgram(source: source, file: url.path, includePaths: [url.deletingLastPathComponent().path] + corpus.includePaths)
            // Virtual time by default (deterministic on a loaded machine); ORC_CONFORMANCE_REALTIME=1
            // runs the timed programs against the wall clock, as orc.jar does.
            let realTime = ProcessInfo.processInfo.environment["ORC_CONFORMANCE_REALTIME"] != nil
            let transcript = await program.runTranscript(virtualTime: !realTime, timeout: 30)
            if transcript.outcome == .killed {
                return Result(path: entry.path, tags: entry.tags, passed: false, detail: "timed out; output so far:\n\(transcript.text)")
            }
            if blocks.contains(where: { $0.matches(transcript.text) }) {
                return Result(path: entry.path, tags: entry.tags, passed: true, detail: "")
            }
            return Result(path: entry.path, tags: entry.tags, passed: false,
                          detail: "[\(transcript.outcome)] got:\n\(transcript.text)expected:\n\(blocks.first?.text ?? "")")
        } catch {
            return Result(path: entry.path, tags: entry.tags, passed: false, detail: "parse error: \(error)")
        }
    }

    static func report(_ results: [Result]) -> String {
        var lines = ["", "Orc conformance by feature tag (passed/total):"]
        let tags = Set(results.flatMap(\.tags)).sorted()
        for tag in ["(all)"] + tags {
            let tagged = tag == "(all)" ? results : results.filter { $0.tags.contains(tag) }
            let passed = tagged.filter(\.passed).count
            lines.append("  " + tag.padding(toLength: 12, withPad: " ", startingAt: 0) + " \(passed)/\(tagged.count)")
        }
        let failures = results.filter { !$0.passed }
        if !failures.isEmpty {
            lines.append("Failing programs:")
            for failure in failures {
                lines.append("  FAIL \(failure.path)")
                if ProcessInfo.processInfo.environment["ORC_CONFORMANCE_VERBOSE"] != nil {
                    lines.append(failure.detail.split(separator: "\n").prefix(40).map { "      " + $0 }.joined(separator: "\n"))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
