import WSEApp
import Foundation

/// A point of a contact's walk, with the landmark it is at or heading to.
public struct DemoDriverPlace: Sendable, Hashable, CustomStringConvertible {
    public let latitude: Double
    public let longitude: Double
    /// "at Trocadéro" or "towards Trocadéro".
    public let landmark: String

    public var description: String {
        String(format: "%.5f, %.5f", latitude, longitude) + " (\(landmark))"
    }
}
