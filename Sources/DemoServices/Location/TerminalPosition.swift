import Foundation
import WSECore

/// Where a terminal is at one moment, as the location service reports it.
public struct TerminalPosition: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double
    /// Radius of the uncertainty circle, in metres.
    public var accuracy: Double
    public var timestamp: Date

    public init(latitude: Double, longitude: Double, accuracy: Double, timestamp: Date) {
        self.latitude = latitude
        self.longitude = longitude
        self.accuracy = accuracy
        self.timestamp = timestamp
    }

    /// OneAPI `currentLocation`: `{"latitude","longitude","accuracy","timestamp"}`, timestamp in ISO 8601.
    var currentLocation: JSONValue {
        [
            "latitude": .number(latitude),
            "longitude": .number(longitude),
            "accuracy": .number(accuracy),
            "timestamp": .string(timestamp.formatted(Self.timestampStyle)),
        ]
    }

    /// ISO 8601 with milliseconds, in UTC: `2026-11-25T11:00:00.123Z`.
    public static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `date` cut to whole milliseconds, the precision a timestamp carries on the wire.
    static func wirePrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
