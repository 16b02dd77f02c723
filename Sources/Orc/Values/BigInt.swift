/// A compact arbitrary-precision signed integer (sign and magnitude, 32-bit limbs, little-endian).
///
/// Orc integers are unbounded (the reference uses Scala `BigInt`). Values that fit in `Int`
/// are kept as `Int` by `OrcValue`; this type only carries the ones that overflow.
public struct BigInt: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// true when the number is negative (never true for zero).
    var negative: Bool
    /// Magnitude limbs, least significant first, with no trailing zero limbs (zero is `[]`).
    var limbs: [UInt32]

    public init(_ value: Int) {
        negative = value < 0
        var magnitude = value.magnitude
        limbs = []
        while magnitude != 0 {
            limbs.append(UInt32(truncatingIfNeeded: magnitude))
            magnitude >>= 32
        }
    }

    init(negative: Bool, limbs: [UInt32]) {
        var trimmed = limbs
        while trimmed.last == 0 { trimmed.removeLast() }
        self.limbs = trimmed
        self.negative = trimmed.isEmpty ? false : negative
    }

    /// Parses decimal digits with an optional leading `-`; nil if malformed.
    public init?(_ text: Substring) {
        var digits = text
        var isNegative = false
        if digits.first == "-" { isNegative = true; digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var result = BigInt(0)
        for chunkStart in stride(from: 0, to: digits.count, by: 9) {
            let start = digits.index(digits.startIndex, offsetBy: chunkStart)
            let end = digits.index(start, offsetBy: min(9, digits.count - chunkStart))
            guard let chunk = UInt32(digits[start..<end]) else { return nil }
            var power: UInt32 = 1
            for _ in 0..<digits.distance(from: start, to: end) { power *= 10 }
            result = result.multipliedAndAdded(by: power, adding: chunk)
        }
        self.init(negative: isNegative, limbs: result.limbs)
    }

    public var isZero: Bool { limbs.isEmpty }

    /// The absolute value.
    public var magnitude: BigInt { BigInt(negative: false, limbs: limbs) }

    /// The value as `Int` if it fits.
    public var asInt: Int? {
        if limbs.count > 2 { return nil }
        var magnitude: UInt = 0
        for (index, limb) in limbs.enumerated() { magnitude |= UInt(limb) << (32 * index) }
        if negative {
            return magnitude <= UInt(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt(Int.max) ? Int(magnitude) : nil
    }

    public var asDouble: Double {
        var result = 0.0
        for limb in limbs.reversed() { result = result * 4_294_967_296.0 + Double(limb) }
        return negative ? -result : result
    }

    private func multipliedAndAdded(by factor: UInt32, adding addend: UInt32) -> BigInt {
        var carry = UInt64(addend)
        var out: [UInt32] = []
        out.reserveCapacity(limbs.count + 1)
        for limb in limbs {
            let product = UInt64(limb) * UInt64(factor) + carry
            out.append(UInt32(truncatingIfNeeded: product))
            carry = product >> 32
        }
        if carry != 0 { out.append(UInt32(carry)) }
        return BigInt(negative: negative, limbs: out)
    }

    // MARK: magnitude helpers

    private static func compareMagnitude(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for index in stride(from: a.count - 1, through: 0, by: -1) where a[index] != b[index] {
            return a[index] < b[index] ? -1 : 1
        }
        return 0
    }

    private static func addMagnitude(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for index in 0..<max(a.count, b.count) {
            let sum = UInt64(index < a.count ? a[index] : 0) + UInt64(index < b.count ? b[index] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        if carry != 0 { out.append(UInt32(carry)) }
        return out
    }

    /// a - b where |a| >= |b|.
    private static func subtractMagnitude(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(a.count)
        var borrow: Int64 = 0
        for index in 0..<a.count {
            var difference = Int64(a[index]) - Int64(index < b.count ? b[index] : 0) - borrow
            if difference < 0 { difference += 4_294_967_296; borrow = 1 } else { borrow = 0 }
            out.append(UInt32(difference))
        }
        return out
    }

    private static func multiplyMagnitude(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        if a.isEmpty || b.isEmpty { return [] }
        var out = [UInt32](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            let ai = UInt64(a[i])
            for j in 0..<b.count {
                let product = ai * UInt64(b[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            out[i + b.count] = UInt32(carry)
        }
        return out
    }

    /// Long division of magnitudes, bit by bit over limbs (simple; operands here are small).
    private static func divideMagnitude(_ a: [UInt32], _ b: [UInt32]) -> (quotient: [UInt32], remainder: [UInt32]) {
        if compareMagnitude(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let divisor = UInt64(b[0])
            var quotient = [UInt32](repeating: 0, count: a.count)
            var remainder: UInt64 = 0
            for index in stride(from: a.count - 1, through: 0, by: -1) {
                let current = (remainder << 32) | UInt64(a[index])
                quotient[index] = UInt32(current / divisor)
                remainder = current % divisor
            }
            return (quotient, remainder == 0 ? [] : [UInt32(remainder)])
        }
        var quotient = [UInt32](repeating: 0, count: a.count)
        var remainder = BigInt(0)
        let divisor = BigInt(negative: false, limbs: b)
        for index in stride(from: a.count * 32 - 1, through: 0, by: -1) {
            remainder = remainder.shiftedLeftOne(orBit: (a[index / 32] >> UInt32(index % 32)) & 1)
            if compareMagnitude(remainder.limbs, divisor.limbs) >= 0 {
                remainder = BigInt(negative: false, limbs: subtractMagnitude(remainder.limbs, divisor.limbs))
                quotient[index / 32] |= 1 << UInt32(index % 32)
            }
        }
        return (quotient, remainder.limbs)
    }

    private func shiftedLeftOne(orBit bit: UInt32) -> BigInt {
        var out: [UInt32] = []
        out.reserveCapacity(limbs.count + 1)
        var carry = bit
        for limb in limbs {
            out.append((limb << 1) | carry)
            carry = limb >> 31
        }
        if carry != 0 { out.append(carry) }
        return BigInt(negative: false, limbs: out)
    }

    // MARK: arithmetic

    public static func + (lhs: BigInt, rhs: BigInt) -> BigInt {
        if lhs.negative == rhs.negative {
            return BigInt(negative: lhs.negative, limbs: addMagnitude(lhs.limbs, rhs.limbs))
        }
        if compareMagnitude(lhs.limbs, rhs.limbs) >= 0 {
            return BigInt(negative: lhs.negative, limbs: subtractMagnitude(lhs.limbs, rhs.limbs))
        }
        return BigInt(negative: rhs.negative, limbs: subtractMagnitude(rhs.limbs, lhs.limbs))
    }

    public static prefix func - (value: BigInt) -> BigInt { BigInt(negative: !value.negative, limbs: value.limbs) }
    public static func - (lhs: BigInt, rhs: BigInt) -> BigInt { lhs + (-rhs) }

    public static func * (lhs: BigInt, rhs: BigInt) -> BigInt {
        BigInt(negative: lhs.negative != rhs.negative, limbs: multiplyMagnitude(lhs.limbs, rhs.limbs))
    }

    /// Truncating division and remainder (Java semantics: remainder has the dividend's sign).
    public func quotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        let (q, r) = BigInt.divideMagnitude(limbs, divisor.limbs)
        return (BigInt(negative: negative != divisor.negative, limbs: q), BigInt(negative: negative, limbs: r))
    }

    public func power(_ exponent: Int) -> BigInt {
        var result = BigInt(1)
        var base = self
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = result * base }
            base = base * base
            remaining >>= 1
        }
        return result
    }

    public static func < (lhs: BigInt, rhs: BigInt) -> Bool {
        if lhs.negative != rhs.negative { return lhs.negative }
        let order = compareMagnitude(lhs.limbs, rhs.limbs)
        return lhs.negative ? order > 0 : order < 0
    }

    public var description: String {
        if limbs.isEmpty { return "0" }
        var chunks: [UInt32] = []
        var current = limbs
        while !current.isEmpty {
            let (q, r) = BigInt.divideMagnitude(current, [1_000_000_000])
            chunks.append(r.first ?? 0)
            current = q
            while current.last == 0 { current.removeLast() }
        }
        var text = negative ? "-" : ""
        text += String(chunks.last!)
        for chunk in chunks.dropLast().reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }
}
