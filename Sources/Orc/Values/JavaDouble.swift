/// Java's `Double.toString` format, which the reference uses for binary floating-point results.
enum JavaDouble {
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Shortest round-trip digits and decimal exponent, from Swift's own formatting.
        let (digits, exponent) = shortestDigits(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        if magnitude >= 1e-3 && magnitude < 1e7 {
            // Plain notation: exponent is the power of ten of the first digit.
            if exponent >= 0 {
                let padded = digits.count > exponent + 1 ? digits : digits + String(repeating: "0", count: exponent + 1 - digits.count)
                let integerPart = padded.prefix(exponent + 1)
                let fraction = padded.dropFirst(exponent + 1)
                return sign + integerPart + "." + (fraction.isEmpty ? "0" : fraction)
            }
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        let fraction = digits.dropFirst()
        return sign + digits.prefix(1) + "." + (fraction.isEmpty ? "0" : fraction) + "E" + String(exponent)
    }

    /// (significant digits without leading/trailing zeros, power of ten of the first digit).
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = "\(value)"   // e.g. "1234.5", "1e-05", "1.5e+20"
        var mantissa = Substring(text)
        var exponent = 0
        if let eIndex = text.firstIndex(of: "e") {
            mantissa = text[..<eIndex]
            exponent = Int(text[text.index(after: eIndex)...].replacingOccurrences(of: "+", with: "")) ?? 0
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var allDigits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent
        while allDigits.first == "0" && allDigits.count > 1 {
            allDigits.removeFirst()
            pointPosition -= 1
        }
        while allDigits.last == "0" && allDigits.count > 1 { allDigits.removeLast() }
        return (allDigits, pointPosition - 1)
    }
}
