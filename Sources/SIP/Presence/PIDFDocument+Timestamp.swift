import Foundation

extension PIDFDocument {
    private static let timestampFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let wholeSecondsFormat = Date.ISO8601FormatStyle()

    /// A `<timestamp>` as written: xs:dateTime in UTC with milliseconds, e.g. `2026-12-05T11:40:21.123Z`, the time
    /// truncated to its millisecond.
    ///
    /// The milliseconds are counted here rather than by `ISO8601FormatStyle`, which takes them from a nanosecond
    /// that a `Date` near today lands just below (swift-foundation #963): it would write a time read back from
    /// `.123` as `.122`, so every hop through a SIP core (parsed, written again) would move it a millisecond earlier.
    /// A time less than a microsecond below a millisecond counts as that millisecond, which a parsed one always is.
    public static func timestampText(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000 + 0.001).rounded(.down))
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, millisecond) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        // Whole seconds are exact in a Double: the format style writes them right.
        let secondsText = Date(timeIntervalSince1970: Double(wholeSeconds)).formatted(wholeSecondsFormat).dropLast()  // its "Z"
        let digits = String(millisecond)
        return secondsText + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Reads an xs:dateTime with or without fractional seconds, in UTC (`Z`) or with an offset; nil otherwise.
    public static func timestamp(parsing text: String) -> Date? {
        (try? timestampFormat.parse(text)) ?? (try? wholeSecondsFormat.parse(text))
    }
}
