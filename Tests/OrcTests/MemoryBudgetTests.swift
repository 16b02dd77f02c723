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
        let reason = try await memoryOverrun("def f(n) = f(n + 1) >x> x  f(0)", budget: 1 << 20)
        #expect(reason?.contains("memory budget of 1 MiB") == true, "\(reason ?? "no limit hit")")
    }

    @Test("the default budget is 64 MiB (enforced as any budget: hugeArrayRefused runs under it)")
    func defaultBudget() {
        #expect(OrcRunLimits().maxMemory == 64 << 20)
        #expect(OrcRunLimits.defaultMaxMemory == 64 << 20)
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
        let reason = try await memoryOverrun(source, budget: 256 << 10)
        #expect(reason?.contains("memory budget of 256 KiB") == true, "\(reason ?? "no limit hit")")
    }

    /// Kept in a `Ref`, where no slot of a state site counts it: before, only the run's time limit stopped it.
    @Test("a list consed forever ends the run, wherever it is kept", .timeLimit(.minutes(1)))
    func listConsedForever() async throws {
        let source = "val r = Ref([])  def grow(n) = r := (n : r?) >> grow(n + 1)  grow(0)"
        let transcript = try await runOrc(source, limits: OrcRunLimits(maxMemory: 256 << 10))
        guard case .limitExceeded(let reason) = transcript.outcome else {
            Issue.record("the run ended as \(transcript.outcome)")
            return
        }
        #expect(reason.contains("memory budget of 256 KiB"), "\(reason)")
    }

    @Test("a string doubled in a loop is refused before it outgrows the budget")
    func stringDoubledForever() async throws {
        let transcript = try await runOrc("def double(s) = double(s + s)  double(\"x\")", limits: OrcRunLimits(maxMemory: 256 << 10))
        #expect(transcript.outcome == .limitExceeded("a string of 262144 bytes does not fit in its memory budget of 256 KiB"))
    }

    @Test("list cells give their share back when dropped")
    func droppedListsAreReleased() async throws {
        // 30,000 cells kept then dropped, three times over: 2.4 MB each time, in a budget of 4 MiB.
        let source = """
        val r = Ref([])
        def fill(0) = signal
        def fill(n) = r := (n : r?) >> fill(n - 1)
        def rounds(0) = signal
        def rounds(k) = r := [] >> fill(30000) >> rounds(k - 1)
        rounds(3) >> r := [] >> "done"
        """
        let transcript = try await runOrc(source, limits: OrcRunLimits(maxMemory: 4 << 20))
        #expect(transcript.outcome == .halted, "\(transcript.outcome)")
        #expect(transcript.text == "\"done\"\n")
    }

    @Test("values taken out of a channel, and arrays dropped, give their share of the budget back")
    func releasedMemoryIsReused() async throws {
        let source = """
        val c = Channel()
        def churn(0) = c.put(0) >> c.getAll() >xs> length(xs)
        def churn(n) = c.put(n) >> c.put(n) >> c.get() >> c.get() >> Array(100) >> churn(n - 1)
        churn(5000)
        """
        let transcript = try await runOrc(source, limits: OrcRunLimits(maxMemory: 128 << 10))
        #expect(transcript.outcome == .halted)
        #expect(transcript.text == "1\n")
    }

    /// 40,000 nested calls or 100,000 parallel branches in the default 64 MiB, scaled down 8×
    /// (the same bytes per call or branch) to keep the test cheap.
    @Test("an ordinary deep recursion and a wide fan-out fit in the default budget (scaled down)")
    func ordinaryProgramsFit() async throws {
        let eighth = OrcRunLimits(maxMemory: OrcRunLimits.defaultMaxMemory / 8)
        let deep = try await runOrc("def sum(0) = 0\ndef sum(n) = n + sum(n - 1)\nsum(5000)", limits: eighth)
        #expect(deep.outcome == .halted)
        #expect(deep.text == "12502500\n")
        let wide = try await runOrc("val c = Counter() # (upto(12500) >> c.inc() >> stop) ; c.value()", limits: eighth)
        #expect(wide.outcome == .halted)
        #expect(wide.text == "12500\n")
    }

    @Test("no budget: nothing is counted against")
    func unlimited() async throws {
        let transcript = try await runOrc("Array(1000000) >a> a.length?", limits: OrcRunLimits(maxMemory: nil))
        #expect(transcript.text == "1000000\n")
    }
}
