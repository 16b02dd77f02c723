import DemoServices
import Foundation
import Testing
import WSECore

@Suite("REST connector against the demo services")
struct ConnectorDemoTests {
    @Test("contacts.list answers the demo contract's contacts shape")
    func contactsList() async throws {
        try await DemoStack.run { stack in
            let result = try await stack.call("contacts", "list", user: "bob")
            #expect(result.status == 200)
            let expected: JSONValue = [
                "contacts": [
                    ["id": "alice", "name": "Alice Archer", "sip": "sip:alice@wse.demo", "address": "tel:+15550100001"],
                    ["id": "carol", "name": "Carol Clark", "sip": "sip:carol@wse.demo", "address": "tel:+15550100003"],
                ]
            ]
            #expect(result.json == ["data": expected])
        }
    }

    @Test("location.get answers latitude, longitude, accuracy and timestamp")
    func locationGet() async throws {
        try await DemoStack.run { stack in
            await stack.location.simulator.setPosition(of: "tel:+15550100002", latitude: 48.1, longitude: 11.5, accuracy: 25)
            let result = try await stack.call("location", "get", data: ["address": "tel:+15550100002"])
            #expect(result.status == 200)
            let data = try #require(result.json?["data"])
            #expect(data["latitude"] == 48.1)
            #expect(data["longitude"] == 11.5)
            #expect(data["accuracy"] == 25)
            let timestamp = try #require(data["timestamp"]?.stringValue)
            let date = try Date(timestamp, strategy: TerminalPosition.timestampStyle)
            #expect(abs(date.timeIntervalSinceNow) < 60)
            #expect(data.objectValue?.keys.sorted() == ["accuracy", "latitude", "longitude", "timestamp"])
        }
    }

    @Test("location.get for an unknown address carries the upstream's 404 and message")
    func locationUnknownAddress() async throws {
        try await DemoStack.run { stack in
            let result = try await stack.call("location", "get", data: ["address": "tel:+19990000000"])
            #expect(result.status == 404)
            #expect(result.json?["error"]?["code"] == "upstream_rejected")
            let message = try #require(result.json?["error"]?["message"]?.stringValue)
            #expect(message.contains("location service"))
            #expect(message.contains("No valid addresses"))
        }
    }
}
