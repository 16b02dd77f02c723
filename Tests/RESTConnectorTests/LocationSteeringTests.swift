import DemoServices
import Testing
import WSECore

/// The `location` service's demo-control actions `move` and `release` (the demo driver walks
/// contacts with them), through the REST connector with the repository's example configuration.
@Suite("Demo location service: steering through the connector")
struct LocationSteeringTests {
    static let bob = "tel:+15550100002"

    @Test("move pins a terminal at a place and answers it; release sends it back to its own path")
    func moveAndRelease() async throws {
        try await DemoStack.run { stack in
            let moved = try await stack.call("location", "move", data: ["address": .string(Self.bob), "latitude": 48.86061, "longitude": 2.3376])
            #expect(moved.status == 200)
            let data = try #require(moved.json?["data"])
            #expect(data["latitude"] == 48.86061 && data["longitude"] == 2.3376 && data["accuracy"] == 10)
            let pinned = try #require(await stack.location.simulator.position(of: Self.bob))
            #expect(pinned.latitude == 48.86061 && pinned.longitude == 2.3376)

            let released = try await stack.call("location", "release", data: ["address": .string(Self.bob)])
            #expect(released.status == 200 && released.json == ["data": nil])
            let walking = try #require(await stack.location.simulator.position(of: Self.bob))
            #expect(walking.latitude != 48.86061, "a released terminal follows its simulated circle again")

            let again = try await stack.call("location", "release", data: ["address": .string(Self.bob)])
            #expect(again.status == 404 && again.json?["error"]?["code"] == "upstream_rejected")
            #expect(again.json?["error"]?["message"]?.stringValue?.contains("has no simulated position") == true)
        }
    }

    @Test("bad move input is refused with the part at fault, and nothing moves")
    func badMoves() async throws {
        try await DemoStack.run { stack in
            let missing = try await stack.call("location", "move", data: ["address": .string(Self.bob), "latitude": 48.9])
            #expect(missing.status == 400 && missing.json?["error"]?["code"] == "bad_request")
            #expect(missing.json?["error"]?["message"]?.stringValue?.contains("data.longitude") == true)

            let text = try await stack.call("location", "move", data: ["address": .string(Self.bob), "latitude": "north", "longitude": 2.3])
            #expect(text.status == 400 && text.json?["error"]?["code"] == "upstream_rejected")
            #expect(text.json?["error"]?["message"]?.stringValue?.contains("latitude") == true)

            let outOfRange = try await stack.call("location", "move", data: ["address": .string(Self.bob), "latitude": 91, "longitude": 2.3])
            #expect(outOfRange.status == 400)

            let notTel = try await stack.call("location", "move", data: ["address": "sip:bob@wse.demo", "latitude": 48.9, "longitude": 2.3])
            #expect(notTel.status == 400 && notTel.json?["error"]?["message"]?.stringValue?.contains("tel:") == true)

            #expect(await stack.location.simulator.clearPosition(of: Self.bob) == false, "no bad move pinned the terminal")
        }
    }
}
