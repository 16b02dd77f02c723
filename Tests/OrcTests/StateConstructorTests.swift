import Testing
import Orc

/// The state-site constructors refuse a wrong number of arguments with orc 2.1.2's errors.
@Suite struct StateConstructorTests {
    private static func arity(expected: Int, got: Int) -> String {
        "Error: orc.error.runtime.ArityMismatchException: Arity mismatch, expected \(expected) arguments, got \(got) arguments.\n"
    }

    @Test(arguments: [
        ("Channel(1)", 0, 1), ("Cell(1)", 0, 1), ("Ref(1, 2)", 1, 2), ("BoundedChannel()", 1, 0),
        ("BoundedChannel(1, 2)", 1, 2), ("Semaphore(1, 2)", 1, 2), ("Counter(1, 2)", 1, 2), ("Counter(0, 1, 2)", 1, 3),
    ])
    func wrongArgumentCountIsAnArityError(call: String, expected: Int, got: Int) async throws {
        let transcript = try await runOrc("\(call) >> \"made\" ; \"silent\"")
        #expect(transcript.text == Self.arity(expected: expected, got: got) + "\"silent\"\n")
    }

    @Test func semaphoreWithoutItsCountIsMissingAnArgument() async throws {
        let transcript = try await runOrc("Semaphore() >> \"made\" ; \"silent\"")
        #expect(transcript.text == "Error: orc.error.runtime.InsufficientArgsException: Arity mismatch, could not find argument 0, only got 0 arguments.\n\"silent\"\n")
    }

    @Test func counterChecksItsArgumentTypeBeforeTheCount() async throws {
        let transcript = try await runOrc("Counter(\"a\", 2) ; \"silent\"")
        #expect(transcript.text.hasPrefix("Error: orc.error.runtime.ArgumentTypeMismatchException: "))
    }

    @Test func rightArgumentCountsStillMakeSites() async throws {
        let source = """
        (Channel(), Cell(), Ref(), Ref(3), BoundedChannel(2), Semaphore(1), Counter(), Counter(2)) >> \
        Ref(3).read() >a> Counter(2).value() >b> BoundedChannel(2).getBound() >c> (a, b, c)
        """
        #expect(try await runOrc(source).text == "(3, 2, 2)\n")
    }
}
