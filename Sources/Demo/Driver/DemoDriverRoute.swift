import WSEApp
import Foundation

/// A walk through Paris that a driven contact repeats: landmarks in order, back to the first.
/// The seeded location circles of the demo are around the Eiffel Tower too, so the map stays familiar.
struct DemoDriverRoute: Sendable {
    struct Landmark: Sendable {
        let name: String
        let latitude: Double
        let longitude: Double
    }

    let landmarks: [Landmark]

    /// About how far a contact walks between two rounds, in metres.
    static let stride: Double = 150

    /// The points of one lap, `stride` apart or less: each landmark, then the steps towards the next.
    var lap: [DemoDriverPlace] {
        var places: [DemoDriverPlace] = []
        for (index, from) in landmarks.enumerated() {
            let to = landmarks[(index + 1) % landmarks.count]
            places.append(DemoDriverPlace(latitude: from.latitude, longitude: from.longitude, landmark: "at \(from.name)"))
            let steps = max(1, Int((Self.metres(from, to) / Self.stride).rounded(.up)))
            for step in 1..<steps {
                let fraction = Double(step) / Double(steps)
                places.append(DemoDriverPlace(
                    latitude: from.latitude + (to.latitude - from.latitude) * fraction,
                    longitude: from.longitude + (to.longitude - from.longitude) * fraction,
                    landmark: "towards \(to.name)"))
            }
        }
        return places
    }

    /// Ground distance between two nearby points (equirectangular approximation, good to a few metres here).
    static func metres(_ a: Landmark, _ b: Landmark) -> Double {
        let metresPerDegree = 111_195.0
        let north = (b.latitude - a.latitude) * metresPerDegree
        let east = (b.longitude - a.longitude) * metresPerDegree * cos((a.latitude + b.latitude) / 2 * .pi / 180)
        return (north * north + east * east).squareRoot()
    }

    /// Along the Seine from the Eiffel Tower to the Louvre and back by the left bank (about 8 km).
    static let riverWalk = DemoDriverRoute(landmarks: [
        .init(name: "the Eiffel Tower", latitude: 48.85837, longitude: 2.29448),
        .init(name: "Trocadéro", latitude: 48.86163, longitude: 2.28900),
        .init(name: "Pont de l'Alma", latitude: 48.86380, longitude: 2.30170),
        .init(name: "Place de la Concorde", latitude: 48.86556, longitude: 2.32119),
        .init(name: "the Louvre", latitude: 48.86061, longitude: 2.33760),
        .init(name: "the Musée d'Orsay", latitude: 48.86000, longitude: 2.32655),
        .init(name: "Les Invalides", latitude: 48.85670, longitude: 2.31260),
        .init(name: "the Champ de Mars", latitude: 48.85565, longitude: 2.29850),
    ])

    /// Around the Latin Quarter: Notre-Dame, the Panthéon, the Luxembourg garden (about 4 km).
    static let latinQuarter = DemoDriverRoute(landmarks: [
        .init(name: "Notre-Dame", latitude: 48.85296, longitude: 2.34990),
        .init(name: "the Panthéon", latitude: 48.84622, longitude: 2.34600),
        .init(name: "the Luxembourg garden", latitude: 48.84620, longitude: 2.33715),
        .init(name: "Saint-Germain-des-Prés", latitude: 48.85394, longitude: 2.33358),
        .init(name: "the Pont des Arts", latitude: 48.85833, longitude: 2.33749),
    ])

    /// One route per driven contact, in order (repeated if there are more contacts than routes).
    static let all = [riverWalk, latinQuarter]
}
