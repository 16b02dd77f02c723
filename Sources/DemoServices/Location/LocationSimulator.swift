import Foundation

/// Simulated terminal positions for the location service.
///
/// Each known address moves along its own circle (about 550 m across, one lap every
/// ten minutes), so its position is a pure function of the address and the time: two
/// reads at the same instant agree, and tests can compute the expected answer.
/// `setPosition` pins an address to a fixed place (and makes a new address known),
/// which is what tests and the demo driver use to stage a scene.
public actor LocationSimulator {
    /// Centre of every seeded circle: the Eiffel Tower, so maps look familiar.
    static let origin = (latitude: 48.8584, longitude: 2.2945)
    static let radiusDegrees = 0.0025
    static let lap: Double = 600
    /// The accuracy reported unless a pinned position says otherwise, in metres.
    public static let defaultAccuracy: Double = 10

    private var pathIndex: [String: Int]
    private var pinned: [String: (latitude: Double, longitude: Double, accuracy: Double)] = [:]

    public init(addresses: [String] = DemoSubscriber.seed.map(\.address)) {
        pathIndex = Dictionary(addresses.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether the service answers for `address`.
    public func knows(_ address: String) -> Bool { pathIndex[address] != nil || pinned[address] != nil }

    /// The position of `address` at `date` (cut to milliseconds), or nil for an unknown address.
    public func position(of address: String, at date: Date = Date()) -> TerminalPosition? {
        let time = TerminalPosition.wirePrecision(date)
        if let pin = pinned[address] {
            return TerminalPosition(latitude: pin.latitude, longitude: pin.longitude, accuracy: pin.accuracy, timestamp: time)
        }
        guard let index = pathIndex[address] else { return nil }
        return Self.pathPosition(index: index, at: time)
    }

    /// Pins `address` at a fixed place; an unknown address becomes known.
    public func setPosition(of address: String, latitude: Double, longitude: Double, accuracy: Double = defaultAccuracy) {
        pinned[address] = (latitude, longitude, accuracy)
    }

    /// Unpins `address`: a seeded one moves along its path again, an added one is forgotten.
    /// - Returns: false when the address was not pinned.
    @discardableResult
    public func clearPosition(of address: String) -> Bool {
        pinned.removeValue(forKey: address) != nil
    }

    /// The point of circle number `index` at `time`. Circles are spread around the origin
    /// and start at different phases so that the seeded terminals do not overlap.
    static func pathPosition(index: Int, at time: Date) -> TerminalPosition {
        let centre = (latitude: origin.latitude + 0.004 * Double(index % 3 - 1), longitude: origin.longitude + 0.006 * Double(index / 3 + index % 2))
        let phase = Double(index) * 2.0 * .pi / 3.0
        let angle = 2.0 * .pi * time.timeIntervalSince1970.truncatingRemainder(dividingBy: lap) / lap + phase
        // A degree of longitude shrinks with latitude; scale it so the path is a circle on the ground.
        let longitudeScale = 1.0 / cos(centre.latitude * .pi / 180)
        return TerminalPosition(
            latitude: centre.latitude + radiusDegrees * sin(angle),
            longitude: centre.longitude + radiusDegrees * longitudeScale * cos(angle),
            accuracy: defaultAccuracy,
            timestamp: time
        )
    }
}
