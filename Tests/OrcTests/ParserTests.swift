import Foundation
import Testing
@testable import Orc

@Suite struct ParserTests {
    @Test func reportsLineColumnAndExpectation() {
        #expect(throws: OrcParseError.self) { try OrcProgram(source: "1 +\n  )", file: "bad.orc") }
        do {
            _ = try OrcProgram(source: "1 +\n  )", file: "bad.orc")
        } catch {
            #expect(error.location.line == 2)
            #expect(error.location.column == 3)
            #expect(!error.expected.isEmpty)
            #expect(error.description.hasPrefix("bad.orc:2:3:"))
        }
    }

    @Test func deeplyNestedSourceIsRefusedNotCrashed() {
        let source = String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)
        #expect(throws: OrcParseError.self) { try OrcProgram(source: source, file: "deep.orc") }
    }

    @Test func longChainsWorkAndAbsurdOnesAreRefused() async throws {
        let sequence = Array(repeating: "Let(1)", count: 1_000).joined(separator: " >> ")
        #expect(try await runOrc(sequence).text == "1\n")
        let declarations = (0..<1_000).map { "val v\($0) = \($0)" }.joined(separator: "\n") + "\nv999"
        #expect(try await runOrc(declarations).text == "999\n")
        let absurd = Array(repeating: "Let(1)", count: 10_000).joined(separator: " >> ")
        #expect(throws: OrcParseError.self) { try OrcProgram(source: absurd, file: "long.orc") }
    }

    @Test func includeIsResolvedRelativeToTheFileThenSearchPaths() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orc-include-\(UUID().uuidString)")
        let library = directory.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "def twice(x) = 2 * x".write(to: library.appendingPathComponent("twice.inc"), atomically: true, encoding: .utf8)
        try "include \"twice.inc\"\ndef quad(x) = twice(twice(x))".write(to: directory.appendingPathComponent("quad.inc"), atomically: true, encoding: .utf8)
        let main = directory.appendingPathComponent("main.orc")
        try "include \"quad.inc\"\nquad(3)".write(to: main, atomically: true, encoding: .utf8)
        let program = try OrcProgram(contentsOfFile: main.path, includePaths: [library.path])
        #expect(await program.runTranscript(virtualTime: true).text == "12\n")
        #expect(throws: OrcParseError.self) { try OrcProgram(contentsOfFile: main.path, includePaths: []) }
    }

    @Test func unboundNamesAreReportedWithTheirLocation() {
        do {
            _ = try OrcProgram(source: "1 |\n  nosuchsite(2)", file: "names.orc")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "names.orc:2:3: unbound variable `nosuchsite`")
        }
    }

    /// Found by the orc-parser fuzz target (Fuzz/): an unbound name inside a def clause used to crash the resolver
    /// (the def group's scope was not restored on the error, so the enclosing scopes popped names they never had).
    @Test(arguments: [
        "def fib(0) = 0\ndef fib(1) = 1\ndef fib(n) = fib(n - 1) + fib(n - D)\nfib(10)",
        "def f(x) =\n  def g(y) = nosuch(y)\n  g(x)\nf(1)",
    ])
    func anUnboundNameInADefIsReportedNotACrash(source: String) {
        #expect(throws: OrcParseError.self) { try OrcProgram(source: source) }
    }

    /// Found by the orc-parser fuzz target as a hang (1.3 KB parsing for minutes): a `def` clause that did not
    /// parse was parsed again to report its error, so `def`s nested in failing bodies cost 2^depth parses.
    @Test func nestedDefsThatDoNotParseAreParsedOnce() {
        let source = String(repeating: "def f(x) = ", count: 40) + "1"
        #expect(throws: OrcParseError.self) { try OrcProgram(source: source) }
    }

    @Test func aLiteralInAPatternIsReportedAtItsOwnPlace() {
        do {
            _ = try OrcProgram(source: "1 >x> (\n  x >(1, 1e99999999999999999999)> x)", file: "pattern.orc")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "pattern.orc:2:10: malformed number 1e99999999999999999999")
        }
    }

    @Test func typesAreParsedAndIgnored() async throws {
        let source = """
        type Pair[A] = (A, A)
        def swap[A](Pair[A]) :: Pair[A]
        def swap((x, y) :: Pair[A]) = (y, x)
        val f = lambda (n :: Integer) :: Integer = n + 1
        swap[Integer]((1, 2)) | (f(4) :: Integer) | (f(5) :!: Top)
        """
        #expect(sortedLines(try await runOrc(source)) == ["(2, 1)", "5", "6"])
    }
}
