/// A value of the Orc language.
///
/// Plain data (numbers, strings, tuples, lists, records, datatype values) can be built and read by
/// the host. `closure` and `site` values are opaque references into a running program. Not
/// `Sendable`: a value lives on one thread; it moves to a run with `sending` (host values, host
/// replies, `OrcStream.send`), and a host that keeps one it was given converts it (`plainValue`).
public enum OrcValue {
    case signal
    case null
    case bool(Bool)
    /// Integers that fit in `Int`; larger ones are `bigInt` (arithmetic normalises between them).
    case int(Int)
    case bigInt(BigInt)
    /// A Java-style BigDecimal (decimal literals and exact arithmetic on them).
    case decimal(BigDecimal)
    /// A binary floating-point number (inexact division, `**` with a fractional exponent).
    case double(Double)
    case string(String)
    case tuple([OrcValue])
    case list(OrcList)
    case record(OrcRecord)
    /// A value built by a datatype constructor, e.g. `Some(3)`.
    case data(Constructor, [OrcValue])
    case closure(Closure)
    case site(Site)

    /// An integer from a `BigInt`, as `int` when it fits.
    static func integer(_ value: BigInt) -> OrcValue {
        if let small = value.asInt { return .int(small) }
        return .bigInt(value)
    }

}
