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

    /// Java's exact `BigDecimal.divide(BigDecimal)`: nil when the quotient does not terminate.
    public func dividedExactly(by divisor: BigDecimal) -> BigDecimal? {
        if divisor.unscaled.isZero { return nil }
        let preferredScale = scale - divisor.scale
        if unscaled.isZero { return BigDecimal(unscaled: BigInt(0), scale: preferredScale) }
        // Try scales from the preferred one upward until the division is exact.
        for extra in 0...400 {
            let targetScale = preferredScale + extra
            // quotient = unscaled * 10^(targetScale - preferredScale) / divisor.unscaled
            let numerator = unscaled * BigInt(10).power(extra)
            let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: divisor.unscaled)
            if remainder.isZero { return BigDecimal(unscaled: quotient, scale: targetScale) }
        }
        return nil
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
