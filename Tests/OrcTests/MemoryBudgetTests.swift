import Orc
import Testing

/// The memory budget of a run (`OrcRunLimits.maxMemory`): runaway programs end with
/// `.limitExceeded` naming the budget; ordinary ones, which give back what they take, do not.
@Suite struct MemoryBudgetTests {
    private func memoryOverrun(_ source: String, budget: Int) async throws -> String? {
        let transcript = try await runOrc(source, limits: OrcRunLimits(maxMemory: budget))
        guard case .limitExceeded(let reason) = transcript.outcome else { return nil }
        return reason
    }

    @Test("non-tail recursion that never stops ends with the memory limit instead of growing")
    func unboundedContinuation() async throws {
        let reason = try await memoryOverrun("def f(n) = f(n + 1) >x> x  f(0)", budget: 4 << 20)
        #expect(reason?.contains("memory budget of 4 MiB") == true, "\(reason ?? "no limit hit")")
    }

    @Test("the same recursion ends under the default budget too")
    func unboundedContinuationDefaultBudget() async throws {
        let transcript = try await runOrc("def f(n) = f(n + 1) >x> x  f(0)")
        #expect(transcript.outcome == .limitExceeded(
            "it held more than its memory budget of 64 MiB (runaway recursion, or values piling up in channels?)"))
    }

    @Test("Array(100000000) is refused before any slot is allocated")
    func hugeArrayRefused() async throws {
        let transcript = try await runOrc("Array(100000000) >a> a.length?", limits: OrcRunLimits())
        #expect(transcript.text == "")
        #expect(transcript.outcome == .limitExceeded("Array(100000000) does not fit in its memory budget of 64 MiB"))
    }

    @Test("a channel filled in a loop ends the run")
    func channelFilledForever() async throws {
        let source = "val c = Channel()  def fill(n) = c.put(n) >> fill(n + 1)  fill(0)"
        let reason = try await memoryOverrun(source, budget: 1 << 20)
        #expect(reason?.contains("memory budget of 1 MiB") == true, "\(reason ?? "no limit hit")")
    }

    @Test("values taken out of a channel, and arrays dropped, give their share of the budget back")
    func releasedMemoryIsReused() async throws {
        let source = """
        val c = Channel()
        def churn(0) = c.put(0) >> c.getAll() >xs> length(xs)
        def churn(n) = c.put(n) >> c.put(n) >> c.get() >> c.get() >> Array(100) >> churn(n - 1)
        churn(20000)
        """
        let transcript = try await runOrc(source, limits: OrcRunLimits(maxMemory: 512 << 10))
        #expect(transcript.outcome == .halted)
        #expect(transcript.text == "1\n")
    }

    @Test("an ordinary deep recursion and a wide fan-out fit in the default budget")
    func ordinaryProgramsFit() async throws {
        let deep = try await runOrc("def sum(0) = 0\ndef sum(n) = n + sum(n - 1)\nsum(40000)")
        #expect(deep.outcome == .halted)
        #expect(deep.text == "800020000\n")
        let wide = try await runOrc("val c = Counter() # (upto(100000) >> c.inc() >> stop) ; c.value()")
        #expect(wide.outcome == .halted)
        #expect(wide.text == "100000\n")
    }

    @Test("no budget: nothing is counted against")
    func unlimited() async throws {
        let transcript = try await runOrc("Array(1000000) >a> a.length?", limits: OrcRunLimits(maxMemory: nil))
        #expect(transcript.text == "1000000\n")
    }
}
