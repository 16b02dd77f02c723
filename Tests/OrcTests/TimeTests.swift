import Testing
import Orc

/// Real and virtual time.
@Suite struct TimeTests {
    @Test func timersFireInDeadlineOrder() async throws {
        let source = "Rwait(300) >> 3 | Rwait(100) >> 1 | Rwait(200) >> 2"
        #expect(try await runOrc(source).text == "1\n2\n3\n")
    }

    @Test func virtualTimeModeJumpsInsteadOfSleeping() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let transcript = try await runOrc("Rwait(60000) >> Rtime()")
        #expect(transcript.text == "60000\n")
        #expect(clock.now - start < .seconds(10))
    }

    @Test func realTimeModeReallyWaits() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let transcript = try await runOrc("Rwait(200) >> \"done\"", virtualTime: false)
        #expect(transcript.text == "\"done\"\n")
        #expect(clock.now - start >= .milliseconds(200))
    }

    @Test func pruningCancelsTimers() async throws {
        // The killed Rwait(100000) must not keep the program (nor the virtual clock) going.
        let transcript = try await runOrc("x <x< (Rwait(10) >> 1 | Rwait(100000) >> 2) >> Rtime()")
        #expect(transcript.text == "10\n")
    }

    @Test func virtualClocksAdvanceOnQuiescence() async throws {
        let source = """
        Vclock(IntegerTimeOrder) >> Vawait(0) >>
        (Vawait(5) >> Vtime() | Vawait(2) >> Vtime() | Channel().get())
        """
        let transcript = try await runOrc(source)
        #expect(transcript.text == "2\n5\n")
    }
}
