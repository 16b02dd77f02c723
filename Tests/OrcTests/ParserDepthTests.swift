import Foundation
import Testing
@testable import Orc

/// Absurdly nested or chained source is refused with a located parse error, and neither parsing
/// nor dropping what was parsed overflows a small (512 KiB) thread stack.
@Suite struct ParserDepthTests {
    /// Twice the chain limit (2,500) and 25 times the nesting limit (200): well beyond both, yet
    /// cheap to lex (the parser stops at the limit; the rest is never parsed).
    private static let count = 5_000

    /// Parses on a thread with a 512 KiB stack, the smallest a test or a host may run on.
    private func parseOnSmallStack(_ source: String) async -> OrcParseError? {
        await parse(source, stackSize: 512 << 10, reportingPlace: false).error
    }

    /// Parses on a thread with that stack; if asked, says whether it parsed in place (lexing twice).
    private func parse(_ source: String, stackSize: Int, reportingPlace: Bool = true) async -> (error: OrcParseError?, inPlace: Bool) {
        await withCheckedContinuation { (continuation: CheckedContinuation<(error: OrcParseError?, inPlace: Bool), Never>) in
            let thread = Thread {
                let inPlace = reportingPlace && (try? OrcProgram.parsesInPlace(Parser(source: source, file: "deep.orc",
                                                                     includes: IncludeResolver(folders: [])))) ?? false
                do throws(OrcParseError) {
                    _ = try OrcProgram(source: source, file: "deep.orc")
                    continuation.resume(returning: (nil, inPlace))
                } catch {
                    continuation.resume(returning: (error, inPlace))
                }
            }
            thread.stackSize = stackSize
            thread.start()
        }
    }

    private static func repeated(_ prefix: String, _ middle: String, _ suffix: String = "") -> String {
        String(repeating: prefix, count: count) + middle + String(repeating: suffix, count: count)
    }

    @Test("5,000 nested prefixes, parentheses or chained operators give a located parse error", arguments: [
        repeated("~", "true"),
        repeated("- ", "x"),
        repeated("(", "1", ")"),
        repeated("-(", "1", ")"),
        repeated("[", "1", "]"),
        repeated("1 + ", "1"),
        repeated("1 * ", "1"),
        repeated("1 ** ", "1"),
        repeated("1 : ", "[]"),
        repeated("true && ", "true"),
        repeated("1 | ", "1"),
        repeated("1 ; ", "1"),
        repeated("1 >> ", "1"),
        repeated("1 <x< ", "1"),
        repeated("if true then ", "1", " else 1"),
        repeated("lambda(x) = ", "1"),
        "Let" + repeated("(1)", ""),
        "{. a = 1 .}" + repeated(".a", ""),
        "Ref(1)" + repeated("?", ""),
        repeated("val x = 1\n", "x"),
        "1 >" + repeated("(", "x", ")") + "> x",
        "1 >x" + repeated(" as y", "") + "> x",
        "1 >" + repeated("x : ", "y") + "> x",
        "1 :: " + repeated("(", "Integer", ")"),
    ])
    func refusedWithLocation(source: String) async throws {
        let error = try #require(await parseOnSmallStack(source))
        #expect(error.message.contains("levels deep"), "\(error)")
        #expect(error.location.line >= 1 && error.location.column > 1, "\(error.location)")
    }

    @Test("nesting and chains up to the limits still parse, on a small stack too")
    func withinTheLimits() async {
        #expect(await parseOnSmallStack(String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)) == nil)
        #expect(await parseOnSmallStack(String(repeating: "~", count: 150) + "true") == nil)
        #expect(await parseOnSmallStack(Array(repeating: "Let(1)", count: 2_000).joined(separator: " >> ")) == nil)
        #expect(await parseOnSmallStack(Array(repeating: "1", count: 2_000).joined(separator: " + ")) == nil)
    }

    @Test("ordinary programs are parsed on the caller's thread; deep ones and includes are not")
    func ordinaryProgramsParseInPlace() throws {
        let ordinary = "def fib(0) = 0\ndef fib(1) = 1\ndef fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)\nfib(10)"
        #expect(try Parser(source: ordinary, file: "fib.orc", includes: IncludeResolver(folders: [])).fitsOnCallersStack)
        for deep in [String(repeating: "(", count: 16) + "1" + String(repeating: ")", count: 16),
                     String(repeating: "~", count: 16) + "true",
                     Array(repeating: "1", count: 600).joined(separator: " + "),
                     "include \"x.inc\"  1"] {
            #expect(try !Parser(source: deep, file: "deep.orc", includes: IncludeResolver(folders: [])).fitsOnCallersStack)
        }
    }

    @Test("on a 512 KiB stack nothing is parsed in place; on 8 MiB the deepest in-place program fits")
    func inPlaceNeedsRoom() async throws {
        let nesting = Parser.maximumNestingInPlace - 1
        let links = (Parser.maximumTokensInPlace - 2 * nesting) / 2
        let chain = Array(repeating: "1", count: links).joined(separator: " + ")
        let edge = String(repeating: "(", count: nesting) + chain + String(repeating: ")", count: nesting)
        #expect(try Parser(source: edge, file: "edge.orc", includes: IncludeResolver(folders: [])).fitsOnCallersStack)
        let small = await parse(edge, stackSize: 512 << 10)
        #expect(small.error == nil && !small.inPlace)
        #if canImport(Glibc)
        let large = await parse(edge, stackSize: 8 << 20)
        #expect(large.error == nil && large.inPlace)
        #endif
    }

    @Test("an ordinary program made from async code is parsed on the caller's thread")
    func ordinaryProgramFromAsyncCodeParsesInPlace() async throws {
        #if canImport(Glibc)
        let parser = try Parser(source: "def f(x) = x + 1\nf(1) | f(2)", file: "f.orc", includes: IncludeResolver(folders: []))
        #expect(OrcProgram.parsesInPlace(parser), "\(LargeStack.callersRemainingStack ?? -1) bytes of stack left")
        #endif
    }
}
