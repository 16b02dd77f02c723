import Testing
import Orc

/// Decimal arithmetic prints what orc 2.1.2 prints: Java `BigDecimal` scales, its exact division,
/// the reference's promotions between integers, decimals and Doubles, and its `**`.
@Suite struct DecimalArithmeticTests {
    private func value(_ expression: String) async throws -> String {
        String(try await runOrc(expression).text.dropLast())
    }

    @Test(arguments: [
        ("1.0 + 1.0", "2.0"), ("2.0 - 2.0", "0.0"), ("1.5 + 1", "2.5"),   // + and -: the larger scale
        ("2.5 * 2.0", "5.00"), ("2.5 * 2", "5.0"), ("0.10 * 0.1", "0.010"), // *: scales add
    ])
    func sumsAndProductsKeepTheirScale(expression: String, printed: String) async throws {
        #expect(try await value(expression) == printed)
    }

    /// Exact division: the quotient at the smallest scale, not below dividend scale − divisor scale,
    /// that holds it; an integral quotient of equal scales prints without a point.
    @Test(arguments: [
        ("3.0 / 5.0", "0.6"), ("0.0 / 5.0", "0"), ("6.0 / 2.0", "3"), ("6.00 / 2.0", "3.0"),
        ("10.0 / 4.0", "2.5"), ("10.0 / 0.25", "4E+1"), ("0.0 / 1", "0.0"), ("0 / 1.1", "0E+1"), ("1 / 1024.0", "0.0009765625"),
    ])
    func exactDivisionFollowsJavaScaleRules(expression: String, printed: String) async throws {
        #expect(try await value(expression) == printed)
    }

    @Test func divisionThatDoesNotTerminateFallsBackToDouble() async throws {
        #expect(try await value("1.0 / 3.0") == "0.3333333333333333")
        #expect(try await value("1.1 / 0") == "Infinity")
    }

    @Test func longExactQuotientsStayDecimal() async throws {
        // 2^-1400 has 979 significant digits: exact for Java, below the smallest Double.
        #expect(try await value("1.0 / (2 ** 1400) :> 0") == "true")
    }

    /// A Double meets a decimal as the decimal its Java text spells; it meets an integer as a Double.
    @Test(arguments: [
        ("(4.0 ** 0.5) * 2.0", "4.00"), ("(1 / 1.1) * 2.0", "1.81818181818181820"), ("(1.0 / 3.0) * 3.0", "0.99999999999999990"),
        ("(4.0 ** 0.5) * 2", "4.0"), ("(1.0 / 0.0) + 1.0", "Infinity"),
    ])
    func doublesMeetDecimalsAsTheirJavaText(expression: String, printed: String) async throws {
        #expect(try await value(expression) == printed)
    }

    @Test(arguments: [
        ("4.0 ** 2.0", "16.00"), ("2 ** 2.0", "4"), ("2.5 ** 0", "1"), ("5.00 ** 2", "25.0000"),
        ("2.0 ** -1", "0.5"), ("4.0 ** 0.5", "2.0"), ("0 ** -1", "0"), ("1 ** -1", "1"), ("0 ** 0", "1"),
    ])
    func powersOfDecimalsWithIntegralExponentsStayDecimal(expression: String, printed: String) async throws {
        #expect(try await value(expression) == printed)
    }

    @Test func integerPowersRefuseNegativeAndHugeExponents() async throws {
        #expect(try await runOrc("2 ** -1").text == "Error: orc.error.runtime.JavaException: java.lang.ArithmeticException: Negative exponent\n")
        #expect(try await runOrc("2 ** 4294967296").text == "Error: orc.error.runtime.JavaException: java.lang.ArithmeticException: Exponent out of range\n")
    }
}
