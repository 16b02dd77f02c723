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
        await withCheckedContinuation { (continuation: CheckedContinuation<OrcParseError?, Never>) in
            let thread = Thread {
                do throws(OrcParseError) {
                    _ = try OrcProgram(source: source, file: "deep.orc")
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
            thread.stackSize = 512 << 10
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
}
