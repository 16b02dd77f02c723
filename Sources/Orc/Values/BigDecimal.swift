/// A decimal number as Java's `BigDecimal`: an unscaled integer and a scale (value = unscaled × 10^-scale).
///
/// Orc decimal literals (`1.5`, `4e1`) are BigDecimals in the reference implementation, and the
/// corpus prints them with `BigDecimal.toString` rules, so the scale is kept exactly.
public struct BigDecimal: Sendable, Hashable, CustomStringConvertible {
    public var unscaled: BigInt
    public var scale: Int

    public init(unscaled: BigInt, scale: Int) {
        self.unscaled = unscaled
        self.scale = scale
    }

    /// Parses a literal like `1.50`, `4e1`, `2.5E-3`.
    public init?(literal: Substring) {
        var mantissa = literal
        var exponent = 0
        if let eIndex = literal.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = literal[..<eIndex]
            var exponentText = literal[literal.index(after: eIndex)...]
            if exponentText.first == "+" { exponentText = exponentText.dropFirst() }
            guard let parsed = Int(exponentText) else { return nil }
            exponent = parsed
        }
        var digits = String(mantissa)
        var fractionDigits = 0
        if let dot = digits.firstIndex(of: ".") {
            fractionDigits = digits.distance(from: dot, to: digits.endIndex) - 1
            digits.remove(at: dot)
        }
        guard let value = BigInt(Substring(digits)) else { return nil }
        self.init(unscaled: value, scale: fractionDigits - exponent)
    }

    /// A binary floating-point value as the reference turns it into a decimal when it meets one in
    /// an operation (`new BigDecimal(Double.toString(d))`: `2.0` has scale 1, `1.0E10` scale -9);
    /// nil for infinities and NaN, which stay binary.
    public init?(javaDouble value: Double) {
        guard value.isFinite else { return nil }
        self.init(literal: Substring(JavaDouble.format(value)))
    }

    /// The number of decimal digits of the unscaled value (Java `precision()`; 1 for zero).
    public var precision: Int {
        unscaled.isZero ? 1 : unscaled.magnitude.description.count
    }

    /// The value as a 32-bit integer when it is integral and in range (Java `intValueExact()`), else nil.
    public var exactInt32: Int? {
        if scale <= 0 {
            guard unscaled.isZero || -scale < 10 else { return nil }
            return (unscaled * BigInt(10).power(-scale)).asInt.flatMap { Int32(exactly: $0).map(Int.init) }
        }
        let (quotient, remainder) = unscaled.quotientAndRemainder(dividingBy: BigInt(10).power(scale))
        guard remainder.isZero else { return nil }
        return quotient.asInt.flatMap { Int32(exactly: $0).map(Int.init) }
    }

    public var asDouble: Double {
        Double(description.replacingOccurrences(of: "E+", with: "E")) ?? unscaled.asDouble
    }

    /// This value with the given (larger or equal) scale.
    func rescaled(to newScale: Int) -> BigDecimal {
        if newScale == scale { return self }
        return BigDecimal(unscaled: unscaled * BigInt(10).power(newScale - scale), scale: newScale)
    }

    public static func + (lhs: BigDecimal, rhs: BigDecimal) -> BigDecimal {
        let common = max(lhs.scale, rhs.scale)
        return BigDecimal(unscaled: lhs.rescaled(to: common).unscaled + rhs.rescaled(to: common).unscaled, scale: common)
    }

    public static prefix func - (value: BigDecimal) -> BigDecimal { BigDecimal(unscaled: -value.unscaled, scale: value.scale) }
    public static func - (lhs: BigDecimal, rhs: BigDecimal) -> BigDecimal { lhs + (-rhs) }
    public static func * (lhs: BigDecimal, rhs: BigDecimal) -> BigDecimal {
        BigDecimal(unscaled: lhs.unscaled * rhs.unscaled, scale: lhs.scale + rhs.scale)
    }

    /// Java's exact `BigDecimal.divide(BigDecimal)`: the quotient at the smallest scale not below
    /// `scale - divisor.scale` that holds it exactly; nil when it does not terminate within the
    /// digits Java allows (`precision + ⌈10 × divisor.precision / 3⌉`), where Java throws.
    public func dividedExactly(by divisor: BigDecimal) -> BigDecimal? {
        if divisor.unscaled.isZero { return nil }
        let preferredScale = scale - divisor.scale
        if unscaled.isZero { return BigDecimal(unscaled: BigInt(0), scale: preferredScale) }
        let tooManyDigits = BigInt(10).power(precision + (10 * divisor.precision + 2) / 3)
        let dividend = unscaled.magnitude, divisorMagnitude = divisor.unscaled.magnitude
        // Exactness and the quotient's size only grow with the extra scale: double it until the
        // quotient is exact (or too long), then bisect for the smallest exact one.
        func quotient(extraScale: Int) -> (quotient: BigInt, exact: Bool) {
            let (quotient, remainder) = (dividend * BigInt(10).power(extraScale)).quotientAndRemainder(dividingBy: divisorMagnitude)
            return (quotient, remainder.isZero)
        }
        var inexactScale = -1
        var exactScale = 0
        var candidate = quotient(extraScale: 0)
        while !candidate.exact {
            if candidate.quotient >= tooManyDigits { return nil }
            inexactScale = exactScale
            exactScale = max(1, exactScale * 2)
            candidate = quotient(extraScale: exactScale)
        }
        while exactScale - inexactScale > 1 {
            let middle = (inexactScale + exactScale) / 2
            let probe = quotient(extraScale: middle)
            if probe.exact { (exactScale, candidate) = (middle, probe) } else { inexactScale = middle }
        }
        // The smallest exact quotient has no trailing zero, so its digits are the ones Java counts.
        if candidate.quotient >= tooManyDigits { return nil }
        let signed = unscaled.negative != divisor.unscaled.negative ? -candidate.quotient : candidate.quotient
        return BigDecimal(unscaled: signed, scale: preferredScale + exactScale)
    }

    /// Java's `BigDecimal.remainder`: the sign of the dividend, the larger scale; nil for zero.
    public func remainder(dividingBy divisor: BigDecimal) -> BigDecimal? {
        if divisor.unscaled.isZero { return nil }
        let common = max(scale, divisor.scale)
        let (_, remainder) = rescaled(to: common).unscaled.quotientAndRemainder(dividingBy: divisor.rescaled(to: common).unscaled)
        return BigDecimal(unscaled: remainder, scale: common)
    }

    public func power(_ exponent: Int) -> BigDecimal {
        BigDecimal(unscaled: unscaled.power(exponent), scale: scale * exponent)
    }

    /// -1, 0 or 1.
    public func compare(_ other: BigDecimal) -> Int {
        let difference = (self - other).unscaled
        return difference.isZero ? 0 : (difference.negative ? -1 : 1)
    }

    public static func == (lhs: BigDecimal, rhs: BigDecimal) -> Bool { lhs.compare(rhs) == 0 }
    public func hash(into hasher: inout Hasher) { hasher.combine(asDouble) }

    /// Java `BigDecimal.toString`.
    public var description: String {
        let magnitudeDigits = String(unscaled.description.drop(while: { $0 == "-" }))
        let sign = unscaled.negative ? "-" : ""
        let adjusted = -scale + (magnitudeDigits.count - 1)
        if scale == 0 { return sign + magnitudeDigits }
        if scale > 0 && adjusted >= -6 {
            if magnitudeDigits.count > scale {
                let split = magnitudeDigits.index(magnitudeDigits.endIndex, offsetBy: -scale)
                return sign + magnitudeDigits[..<split] + "." + magnitudeDigits[split...]
            }
            return sign + "0." + String(repeating: "0", count: scale - magnitudeDigits.count) + magnitudeDigits
        }
        var text = sign + String(magnitudeDigits.first!)
        if magnitudeDigits.count > 1 { text += "." + magnitudeDigits.dropFirst() }
        return text + "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
    }
}
