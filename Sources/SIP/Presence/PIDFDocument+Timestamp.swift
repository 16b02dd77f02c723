import Foundation

extension PIDFDocument {
    private static let timestampFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let wholeSecondsFormat = Date.ISO8601FormatStyle()

    /// A `<timestamp>` as written: xs:dateTime in UTC with milliseconds, e.g. `2026-12-05T11:40:21.123Z`.
    public static func timestampText(_ date: Date) -> String { date.formatted(timestampFormat) }

    /// Reads an xs:dateTime with or without fractional seconds, in UTC (`Z`) or with an offset; nil otherwise.
    public static func timestamp(parsing text: String) -> Date? {
        (try? timestampFormat.parse(text)) ?? (try? wholeSecondsFormat.parse(text))
    }
}
