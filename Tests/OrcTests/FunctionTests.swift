import Testing
import Orc

/// Functions: clauses, guards, lenient calls, strict sites, tail calls, closures, classes.
@Suite struct FunctionTests {
    @Test func clausesAndGuardsPickTheFirstMatch() async throws {
        let source = """
        def classify(0) = "zero"
        def classify(n) if (n <: 0) = "negative"
        def classify(_) = "positive"
        Let(classify(0), classify(-4), classify(9))
        """
        #expect(try await runOrc(source).text == "(\"zero\", \"negative\", \"positive\")\n")
    }

    @Test func functionCallsAreLenientSiteCallsStrict() async throws {
        // f ignores its argument, so it publishes although the argument never arrives.
        let source = """
        def f(_) = "lenient"
        f(Channel().get()) | Println(Channel().get()) >> "strict"
        """
        let transcript = try await runOrc(source)
        #expect(transcript.text == "\"lenient\"\n")
        #expect(transcript.outcome == .blockedForever)
    }

    @Test func deepTailRecursionDoesNotGrowTheStack() async throws {
        let source = """
        def loop(0, acc) = acc
        def loop(n, acc) = loop(n - 1, acc + 1)
        loop(200000, 0)
        """
        #expect(try await runOrc(source).text == "200000\n")
    }

    @Test func deepNonTailRecursionUsesHeapNotStack() async throws {
        let source = """
        def sum(0) = 0
        def sum(n) = n + sum(n - 1)
        sum(40001)
        """
        #expect(try await runOrc(source).text == "800060001\n")
    }

    @Test func closuresCaptureTheirScope() async throws {
        let source = """
        def adder(n) = lambda(x) = x + n
        val add3 = adder(3)
        map(add3, [1, 2, 3])
        """
        #expect(try await runOrc(source).text == "[4, 5, 6]\n")
    }

    @Test func mutualRecursionInOneGroup() async throws {
        let source = """
        def even(0) = true
        def even(n) = odd(n - 1)
        def odd(0) = false
        def odd(n) = even(n - 1) #
        (even(10), odd(7))
        """
        #expect(try await runOrc(source).text == "(true, true)\n")
    }

    @Test func defClassInstancesKeepPrivateState() async throws {
        let source = """
        def class Counter(start) =
          val count = Ref(start)
          def next() = count? >n> count := n + 1 >> n
          stop
        val c = Counter(5)
        c.next() >> c.next() >> c.next()
        """
        #expect(try await runOrc(source).text == "7\n")
    }

    @Test func datatypesBuildPrintAndMatch() async throws {
        let source = """
        type Tree = Leaf(_) | Node(_, _)
        def total(Leaf(n)) = n
        def total(Node(l, r)) = total(l) + total(r)
        val t = Node(Leaf(1), Node(Leaf(2), Leaf(3)))
        t | total(t)
        """
        let transcript = try await runOrc(source)
        #expect(sortedLines(transcript) == ["6", "Node(Leaf(1), Node(Leaf(2), Leaf(3)))"])
    }

    @Test func makeSiteRunsClosureAsStrictSite() async throws {
        let source = """
        def twice(x) = x | x
        val s = MakeSite(twice)
        s(4)
        """
        #expect(try await runOrc(source).text == "4\n")
    }

    @Test func runawayRecursionHitsTheTokenLimit() async throws {
        let transcript = try await runOrc("def f(n) = 1 + f(n + 1)  f(0)", limits: OrcRunLimits(maxTokens: 10_000))
        guard case .limitExceeded = transcript.outcome else {
            Issue.record("expected a limit, got \(transcript.outcome)")
            return
        }
    }
}
