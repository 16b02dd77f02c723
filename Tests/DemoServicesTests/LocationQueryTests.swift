import DemoServices
import Foundation
import Testing
import WSETesting
import WSECore

@Suite("Demo location service: queries and simulation")
struct LocationQueryTests {
    static let bob = "tel:+15550100002"
    static let bobEncoded = "tel%3A%2B15550100002"

    @Test("a query answers the OneAPI terminalLocationList with the simulated position")
    func query() async throws {
        let service = LocationService()
        let signal = PortSignal()
        try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let result = try await http(.GET, "http://127.0.0.1:\(port)/location/v1/queries/location?address=\(Self.bobEncoded)&requestedAccuracy=100")
            #expect(result.status == 200)
            let records = try #require(result.json?["terminalLocationList"]?["terminalLocation"]?.arrayValue)
            #expect(records.count == 1)
            #expect(records[0]["address"]?.stringValue == Self.bob)
            #expect(records[0]["locationRetrievalStatus"] == "Retrieved")
            let current = try #require(records[0]["currentLocation"])
            let timestamp = try #require(current["timestamp"]?.stringValue)
            let date = try Date(timestamp, strategy: TerminalPosition.timestampStyle)
            // The path is a function of time: the simulator at that instant must agree with the answer,
            // to within the motion of a millisecond (the precision of the timestamp), about 3e-8 degrees.
            let expected = try #require(await service.simulator.position(of: Self.bob, at: date))
            #expect(abs(try #require(current["latitude"]?.doubleValue) - expected.latitude) < 1e-7)
            #expect(abs(try #require(current["longitude"]?.doubleValue) - expected.longitude) < 1e-7)
            #expect(current["accuracy"]?.doubleValue == expected.accuracy)
        }
    }

    @Test("terminals move along deterministic paths")
    func deterministicPaths() async throws {
        let first = LocationSimulator()
        let second = LocationSimulator()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let a = try #require(await first.position(of: Self.bob, at: now))
        #expect(await second.position(of: Self.bob, at: now) == a)
        let later = try #require(await first.position(of: Self.bob, at: now + 60))
        #expect(later.latitude != a.latitude || later.longitude != a.longitude)
        let alice = try #require(await first.position(of: "tel:+15550100001", at: now))
        #expect(alice.latitude != a.latitude || alice.longitude != a.longitude)
        // Still near Paris: a lap stays within a few hundred metres of its centre.
        #expect(abs(a.latitude - 48.8584) < 0.01 && abs(a.longitude - 2.2945) < 0.03)
    }

    @Test("PUT simulation pins a terminal; DELETE sends it back to its path")
    func simulationControl() async throws {
        let service = LocationService()
        let signal = PortSignal()
        try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let base = "http://127.0.0.1:\(port)/location/v1"
            let put = try await http(.PUT, "\(base)/simulation/\(Self.bobEncoded)", json: ["latitude": 45.5, "longitude": -73.25, "accuracy": 30])
            #expect(put.status == 200)
            let query = try await http(.GET, "\(base)/queries/location?address=\(Self.bobEncoded)&requestedAccuracy=10")
            let current = try #require(query.json?["terminalLocationList"]?["terminalLocation"]?.arrayValue?.first?["currentLocation"])
            #expect(current["latitude"] == 45.5)
            #expect(current["longitude"] == -73.25)
            #expect(current["accuracy"] == 30)

            #expect(try await http(.DELETE, "\(base)/simulation/\(Self.bobEncoded)").status == 204)
            let moving = try #require(await service.simulator.position(of: Self.bob))
            #expect(moving.latitude != 45.5)
            #expect(try await http(.DELETE, "\(base)/simulation/\(Self.bobEncoded)").status == 404)

            // A new address becomes known once pinned.
            let newcomer = "tel%3A%2B15550109999"
            #expect(try await http(.PUT, "\(base)/simulation/\(newcomer)", json: ["latitude": 1, "longitude": 2]).status == 200)
            #expect(try await http(.GET, "\(base)/queries/location?address=\(newcomer)&requestedAccuracy=10").status == 200)
        }
    }

    @Test("bad queries and simulation inputs get OneAPI errors")
    func errors() async throws {
        let signal = PortSignal()
        try await serve(LocationService().makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let base = "http://127.0.0.1:\(port)/location/v1"
            let unknown = try await http(.GET, "\(base)/queries/location?address=tel%3A%2B19990000000&requestedAccuracy=10")
            #expect(unknown.status == 404)
            let exception = unknown.json?["requestError"]?["serviceException"]
            #expect(exception?["messageId"] == "SVC0004")
            #expect(exception?["text"]?.stringValue?.contains("tel:+19990000000") == true)

            let noAddress = try await http(.GET, "\(base)/queries/location?requestedAccuracy=10")
            #expect(noAddress.status == 400)
            #expect(noAddress.json?["requestError"]?["serviceException"]?["variables"] == ["address"])

            let badAccuracy = try await http(.GET, "\(base)/queries/location?address=\(Self.bobEncoded)&requestedAccuracy=-3")
            #expect(badAccuracy.status == 400)
            #expect(badAccuracy.json?["requestError"]?["serviceException"]?["variables"] == ["requestedAccuracy"])

            // Some known, some not: answered per address.
            let mixed = try await http(.GET, "\(base)/queries/location?address=\(Self.bobEncoded)&address=tel%3A%2B19990000000&requestedAccuracy=10")
            #expect(mixed.status == 200)
            let statuses = mixed.json?["terminalLocationList"]?["terminalLocation"]?.arrayValue?.map { $0["locationRetrievalStatus"] }
            #expect(statuses == ["Retrieved", "Error"])

            let badLatitude = try await http(.PUT, "\(base)/simulation/\(Self.bobEncoded)", json: ["latitude": 91, "longitude": 0])
            #expect(badLatitude.status == 400)
            #expect(badLatitude.json?["requestError"]?["serviceException"]?["variables"] == ["latitude"])
            let notJSON = try await http(.PUT, "\(base)/simulation/\(Self.bobEncoded)", text: "{nope")
            #expect(notJSON.status == 400)
            let notTel = try await http(.PUT, "\(base)/simulation/bob", json: ["latitude": 1, "longitude": 1])
            #expect(notTel.status == 400)
        }
    }
}
