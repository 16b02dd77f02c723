import Testing
@testable import Orc

/// Numbers, formatting, equality and errors as orc.jar prints them.
@Suite struct ValueTests {
    @Test func bigIntegersStayExact() async throws {
        #expect(try await runOrc("2 ** 100").text == "1267650600228229401496703205376\n")
        #expect(try await runOrc("9223372036854775807 + 1").text == "9223372036854775808\n")
        #expect(try await runOrc("(-7) / 2").text == "-3\n")
        #expect(try await runOrc("(-7) % 2").text == "-1\n")
        let big = BigInt(Substring("123456789012345678901234567890"))!
        #expect((big * big).description == "15241578753238836750495351562536198787501905199875019052100")
        #expect(big.quotientAndRemainder(dividingBy: BigInt(Substring("987654321987"))!).quotient.description == "124999998748520313")
    }

    @Test func decimalsFollowJavaBigDecimal() async throws {
        #expect(try await runOrc("4.0 ** 2").text == "16.00\n")
        #expect(try await runOrc("0 / 1.1").text == "0E+1\n")
        #expect(try await runOrc("1.1 / 1.1").text == "1\n")
        #expect(try await runOrc("0.1 + 0.2").text == "0.3\n")
        #expect(BigDecimal(literal: "2.5E-8")!.description == "2.5E-8")
    }

    @Test func inexactResultsFollowJavaDouble() async throws {
        #expect(try await runOrc("50.0 / 3").text == "16.666666666666668\n")
        #expect(try await runOrc("1.0 / 0.0").text == "Infinity\n")
        #expect(JavaDouble.format(1e10) == "1.0E10")
        #expect(JavaDouble.format(0.001) == "0.001")
        #expect(JavaDouble.format(1.0e-4) == "1.0E-4")
        #expect(JavaDouble.format(123.0) == "123.0")
    }

    @Test func valuesPrintInOrcSyntax() async throws {
        let source = #"("a\"b", [1, [true]], {. x = null, y = signal .}, {. .}, Some(3), None())"#
        #expect(try await runOrc(source).text == #"("a\"b", [1, [true]], {. x = null, y = signal .}, {.  .}, Some(3), None())"# + "\n")
    }

    @Test func printlnWritesStringsRaw() async throws {
        #expect(try await runOrc(#"Println("x=" + [1, "a"]) >> stop"#).text == "x=[1, \"a\"]\n")
    }

    @Test func equalityIsStructural() async throws {
        #expect(try await runOrc("([1, (2, 3)] = [1, (2, 3)], 10 = true, 1 = 1.0)").text == "(true, false, true)\n")
    }

    @Test func siteErrorsAreReportedAndHalt() async throws {
        let transcript = try await runOrc(#"(1 / 0 ; "after") | Error("boom") ; "silent""#)
        #expect(transcript.text.contains("Error: orc.error.runtime.JavaException: java.lang.ArithmeticException: BigInteger divide by zero\n"))
        #expect(transcript.text.contains("Error: orc.error.runtime.ProgramSignalledError: boom\n"))
        #expect(transcript.text.contains("\"after\"\n"))
    }

    @Test func readParsesWhatWriteWrites() async throws {
        #expect(try await runOrc(#"Read(Write([1, (2, "x"), {. k = -3 .}]))"#).text == "[1, (2, \"x\"), {. k = -3 .}]\n")
    }
}
