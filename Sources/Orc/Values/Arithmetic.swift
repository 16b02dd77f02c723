import Foundation

/// Orc's numeric tower: Int (overflowing into BigInt), BigDecimal, then Double, with the
/// reference's promotion and division rules (orc 2.1.2's `Args.applyNumericOperator` and the
/// `orc.lib.math` sites): an integer meets a decimal as a decimal of scale 0; a Double meets a
/// decimal as the decimal its Java text spells (`2.0` → scale 1), unless it is infinite or NaN;
/// a Double meets an integer as a Double.
enum Arithmetic {
    /// A number lifted to the widest representation needed for an operation.
    private enum Pair {
        case ints(Int, Int)
        case bigs(BigInt, BigInt)
        case decimals(BigDecimal, BigDecimal)
        case doubles(Double, Double)
    }

    private static func rank(_ value: OrcValue) -> Int? {
        switch value {
        case .int: return 0
        case .bigInt: return 1
        case .decimal: return 2
        case .double: return 3
        default: return nil
        }
    }

    private static func big(_ value: OrcValue) -> BigInt {
        switch value {
        case .int(let small): return BigInt(small)
        case .bigInt(let large): return large
        default: return BigInt(0)
        }
    }

    private static func decimal(_ value: OrcValue) -> BigDecimal {
        if case .decimal(let decimal) = value { return decimal }
        return BigDecimal(unscaled: big(value), scale: 0)
    }

    static func double(_ value: OrcValue) -> Double {
        switch value {
        case .int(let small): return Double(small)
        case .bigInt(let large): return large.asDouble
        case .decimal(let decimal): return decimal.asDouble
        case .double(let double): return double
        default: return .nan
        }
    }

    private static func pair(_ lhs: OrcValue, _ rhs: OrcValue) -> Pair? {
        guard let left = rank(lhs), let right = rank(rhs) else { return nil }
        switch max(left, right) {
        case 0:
            if case .int(let a) = lhs, case .int(let b) = rhs { return .ints(a, b) }
            return nil
        case 1: return .bigs(big(lhs), big(rhs))
        case 2: return .decimals(decimal(lhs), decimal(rhs))
        default:
            switch (lhs, rhs) {
            case (.decimal(let a), .double(let b)):
                if let converted = BigDecimal(javaDouble: b) { return .decimals(a, converted) }
            case (.double(let a), .decimal(let b)):
                if let converted = BigDecimal(javaDouble: a) { return .decimals(converted, b) }
            default: break
            }
            return .doubles(double(lhs), double(rhs))
        }
    }

    static func isNumber(_ value: OrcValue) -> Bool { rank(value) != nil }

    /// -1/0/1, or nil when the values are not both numbers.
    static func compare(_ lhs: OrcValue, _ rhs: OrcValue) -> Int? {
        switch pair(lhs, rhs) {
        case .ints(let a, let b): return a < b ? -1 : (a == b ? 0 : 1)
        case .bigs(let a, let b): return a < b ? -1 : (a == b ? 0 : 1)
        case .decimals(let a, let b): return a.compare(b)
        case .doubles(let a, let b): return a < b ? -1 : (a == b ? 0 : 1)
        case nil: return nil
        }
    }

    static func add(_ lhs: OrcValue, _ rhs: OrcValue) -> OrcValue? {
        switch pair(lhs, rhs) {
        case .ints(let a, let b):
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .integer(BigInt(a) + BigInt(b)) : .int(sum)
        case .bigs(let a, let b): return .integer(a + b)
        case .decimals(let a, let b): return .decimal(a + b)
        case .doubles(let a, let b): return .double(a + b)
        case nil: return nil
        }
    }

    static func subtract(_ lhs: OrcValue, _ rhs: OrcValue) -> OrcValue? {
        switch pair(lhs, rhs) {
        case .ints(let a, let b):
            let (difference, overflow) = a.subtractingReportingOverflow(b)
            return overflow ? .integer(BigInt(a) - BigInt(b)) : .int(difference)
        case .bigs(let a, let b): return .integer(a - b)
        case .decimals(let a, let b): return .decimal(a - b)
        case .doubles(let a, let b): return .double(a - b)
        case nil: return nil
        }
    }

    static func multiply(_ lhs: OrcValue, _ rhs: OrcValue) -> OrcValue? {
        switch pair(lhs, rhs) {
        case .ints(let a, let b):
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? .integer(BigInt(a) * BigInt(b)) : .int(product)
        case .bigs(let a, let b): return .integer(a * b)
        case .decimals(let a, let b): return .decimal(a * b)
        case .doubles(let a, let b): return .double(a * b)
        case nil: return nil
        }
    }

    static func divide(_ lhs: OrcValue, _ rhs: OrcValue) throws(OrcRuntimeError) -> OrcValue? {
        switch pair(lhs, rhs) {
        case .ints(let a, let b):
            if b == 0 { throw .divideByZero }
            if a == .min && b == -1 { return .integer(-BigInt(a)) }
            return .int(a / b)
        case .bigs(let a, let b):
            if b.isZero { throw .divideByZero }
            return .integer(a.quotientAndRemainder(dividingBy: b).quotient)
        case .decimals(let a, let b):
            if let exact = a.dividedExactly(by: b) { return .decimal(exact) }
            return .double(a.asDouble / b.asDouble)
        case .doubles(let a, let b): return .double(a / b)
        case nil: return nil
        }
    }

    static func remainder(_ lhs: OrcValue, _ rhs: OrcValue) throws(OrcRuntimeError) -> OrcValue? {
        switch pair(lhs, rhs) {
        case .ints(let a, let b):
            if b == 0 { throw .divideByZero }
            if b == -1 { return .int(0) }
            return .int(a % b)
        case .bigs(let a, let b):
            if b.isZero { throw .divideByZero }
            return .integer(a.quotientAndRemainder(dividingBy: b).remainder)
        case .decimals(let a, let b):
            guard let remainder = a.remainder(dividingBy: b) else { throw .java("java.lang.ArithmeticException", "Division by zero") }
            return .decimal(remainder)
        case .doubles(let a, let b): return .double(fmod(a, b))
        case nil: return nil
        }
    }

    /// Results above this many bits are refused rather than computed for minutes.
    static let maximumPowerBits = 1 << 22

    /// `**` as the reference's `Exponent` site: integers stay exact (a negative exponent is an
    /// error, except for the bases 0 and 1); a decimal raised to an integral exponent (`2.0` counts)
    /// from 0 to 999,999,999 stays a decimal (`4.0 ** 2.0` is `16.00`); everything else is a Double.
    static func power(_ lhs: OrcValue, _ rhs: OrcValue) throws(OrcRuntimeError) -> OrcValue? {
        switch pair(lhs, rhs) {
        case .ints, .bigs: return try integerPower(big(lhs), big(rhs))
        case .decimals(let base, let exponent):
            if let exponent = exponent.exactInt32, exponent >= 0, exponent <= 999_999_999 {
                try checkPowerSize(base.unscaled, exponent)
                return .decimal(base.power(exponent))
            }
            return .double(pow(base.asDouble, exponent.asDouble))
        case .doubles(let base, let exponent): return .double(pow(base, exponent))
        case nil: return nil
        }
    }

    /// Java `BigInteger.pow` with the reference's shortcuts for 0 and 1.
    private static func integerPower(_ base: BigInt, _ exponent: BigInt) throws(OrcRuntimeError) -> OrcValue {
        if base.isZero { return .int(exponent.isZero ? 1 : 0) }
        if base == BigInt(1) { return .int(1) }
        guard let exponent = exponent.asInt, Int32(exactly: exponent) != nil else {
            throw .java("java.lang.ArithmeticException", "Exponent out of range")
        }
        if exponent < 0 { throw .java("java.lang.ArithmeticException", "Negative exponent") }
        try checkPowerSize(base, exponent)
        return .integer(base.power(exponent))
    }

    private static func checkPowerSize(_ base: BigInt, _ exponent: Int) throws(OrcRuntimeError) {
        let baseBits = base.limbs.count * 32 - (base.limbs.last?.leadingZeroBitCount ?? 32)
        let (resultBits, overflow) = exponent.multipliedReportingOverflow(by: baseBits - 1)
        if baseBits > 1 && (overflow || resultBits > maximumPowerBits) {
            throw .java("java.lang.ArithmeticException", "result of ** too large (over \(maximumPowerBits) bits)")
        }
    }

    static func negate(_ value: OrcValue) -> OrcValue? {
        switch value {
        case .int(let a): return a == .min ? .integer(-BigInt(a)) : .int(-a)
        case .bigInt(let a): return .integer(-a)
        case .decimal(let a): return .decimal(-a)
        case .double(let a): return .double(-a)
        default: return nil
        }
    }
}
