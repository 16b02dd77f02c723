import Testing
import Orc

/// The four combinators, halting, and the `;` and pruning rules.
@Suite struct CombinatorTests {
    @Test func parallelPublishesEverything() async throws {
        let transcript = try await runOrc("1 | 2 | 3")
        #expect(sortedLines(transcript) == ["1", "2", "3"])
        #expect(transcript.outcome == .halted)
    }

    @Test func sequenceRunsRightSidePerPublication() async throws {
        let transcript = try await runOrc("(1 | 2) >x> x * 10")
        #expect(sortedLines(transcript) == ["10", "20"])
    }

    @Test func patternInSequenceFiltersValues() async throws {
        let transcript = try await runOrc("((1, 2) | (3, 4) | 5) >(a, b)> a + b")
        #expect(sortedLines(transcript) == ["3", "7"])
    }

    @Test func otherwiseRunsOnlyAfterSilentHalt() async throws {
        #expect(try await runOrc("stop ; 2").text == "2\n")
        #expect(try await runOrc("1 ; 2").text == "1\n")
        #expect(try await runOrc("(Rwait(10) >> stop) ; 3").text == "3\n")
    }

    @Test func otherwiseWaitsForPendingCallsBeforeDeciding() async throws {
        // The left side publishes late: the right side must never run.
        #expect(try await runOrc("Rwait(50) >> 1 ; 2").text == "1\n")
    }

    @Test func pruningBindsFirstValueAndKillsTheRest() async throws {
        let transcript = try await runOrc("x <x< (Rwait(20) >> 1 | Rwait(10) >> 2 | Rwait(30) >> Println(\"late\"))")
        #expect(transcript.text == "2\n")
    }

    @Test func killedBranchNeverRunsItsOtherwise() async throws {
        let transcript = try await runOrc("x <x< (1 | (Rwait(10) >> stop ; Println(\"fallback\")))")
        #expect(transcript.text == "1\n")
    }

    @Test func silentRightSideMakesVariableDead() async throws {
        // x is dead: the strict call halts, so `;` takes over; the lenient branch goes on.
        let transcript = try await runOrc("(x + 1 ; \"dead\") <x< stop")
        #expect(transcript.text == "\"dead\"\n")
    }

    @Test func deadArgumentHaltsCallEvenIfAnotherNeverArrives() async throws {
        let source = """
        val never = Channel().get()
        val gone = stop #
        (never + gone) ; "halted"
        """
        #expect(try await runOrc(source).text == "\"halted\"\n")
    }

    @Test func blockedForeverIsReportedNotHalted() async throws {
        let transcript = try await runOrc("Channel().get()")
        #expect(transcript.outcome == .blockedForever)
    }

    @Test func precedenceFollowsTheReference() async throws {
        // `if … else 2 | 3` puts `| 3` in the else branch; `>x>` binds tighter than `|`.
        #expect(try await runOrc("if true then 1 else 2 | 3").text == "1\n")
        #expect(sortedLines(try await runOrc("1 >x> x + 1 | 5")) == ["2", "5"])
    }
}
