import Foundation

/// Orc's numeric tower: Int (overflowing into BigInt), BigDecimal, then Double, with the
/// reference's promotion and division rules.
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
        default: return .doubles(double(lhs), double(rhs))
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
            return .double(fmod(a.asDouble, b.asDouble))
        case .doubles(let a, let b): return .double(fmod(a, b))
        case nil: return nil
        }
    }

    static func power(_ lhs: OrcValue, _ rhs: OrcValue) -> OrcValue? {
        guard isNumber(lhs), isNumber(rhs) else { return nil }
        let integralExponent: Int?
        switch rhs {
        case .int(let exponent): integralExponent = exponent
        default: integralExponent = nil
        }
        if let exponent = integralExponent, exponent >= 0 {
            switch lhs {
            case .int, .bigInt: return .integer(big(lhs).power(exponent))
            case .decimal(let base): return .decimal(base.power(exponent))
            default: break
            }
        }
        return .double(pow(double(lhs), double(rhs)))
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
