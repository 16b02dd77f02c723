import DemoServices
import RESTConnector
import Testing
import WSETesting
import WSECore

@Suite("REST connector subscriptions")
struct ConnectorSubscriptionTests {
    @Test("location.subscribe forwards notifications to connector IN until cancelled")
    func subscribeThenCancel() async throws {
        try await DemoStack.run { stack in
            await stack.location.simulator.setPosition(of: "tel:+15550100003", latitude: 40.4, longitude: -3.7, accuracy: 12)
            let accepted = try await stack.call("location", "subscribe", data: ["address": "tel:+15550100003", "interval": 0.2], pid: "p-sub1")
            #expect(accepted.status == 202)
            #expect(accepted.json == [:])
            #expect(await stack.connector.activeSubscriptions() == ["p-sub1"])
            #expect(await stack.location.activeSubscriptions().count == 1)

            try await stack.tick(by: .milliseconds(200), expecting: 1)
            try await stack.tick(by: .milliseconds(200), expecting: 2)
            try await stack.clock.sleepers(reach: 1)
            #expect(await stack.connectorIn.deliveries.count == 2, "one event per interval")
            for delivery in await stack.connectorIn.deliveries.prefix(2) {
                #expect(delivery.path == "/connector/in/v1/events")
                #expect(delivery.authorization == "Bearer \(DemoStack.key)")
                #expect(delivery.body?["pid"] == "p-sub1")
                #expect(delivery.body?["final"] == false)
                let data = try #require(delivery.body?["data"])
                #expect(data["latitude"] == 40.4)
                #expect(data["longitude"] == -3.7)
                #expect(data["accuracy"] == 12)
                #expect(data["timestamp"]?.stringValue != nil)
            }

            let cancelled = try await http(.DELETE, stack.connectorURL + "/v1/requests/p-sub1", headers: [("Authorization", "Bearer \(DemoStack.key)")])
            #expect(cancelled.status == 204)
            #expect(await stack.connector.activeSubscriptions().isEmpty)
            // The upstream subscription is gone too, timer included, so no more notifications are produced.
            #expect(await stack.location.activeSubscriptions().isEmpty)
            #expect(stack.clock.sleeperCount == 0)
            stack.clock.advance(by: .seconds(1))
            #expect(await stack.connectorIn.deliveries.count == 2)
            let again = try await http(.DELETE, stack.connectorURL + "/v1/requests/p-sub1", headers: [("Authorization", "Bearer \(DemoStack.key)")])
            #expect(again.status == 404)
            #expect(again.json?["error"]?["code"] == "unknown_process")
        }
    }

    @Test("a 404 from connector IN ends the subscription, upstream included")
    func connectorInForgetsProcess() async throws {
        try await DemoStack.run { stack in
            await stack.connectorIn.setAnswer(.notFound)
            let accepted = try await stack.call("location", "subscribe", data: ["address": "tel:+15550100001", "interval": 0.1], pid: "p-gone")
            #expect(accepted.status == 202)
            try await stack.tick(by: .milliseconds(100), expecting: 1)
            try await eventually("the connector drops the subscription") { await stack.connector.activeSubscriptions().isEmpty }
            try await eventually("the upstream subscription is deleted") { await stack.location.activeSubscriptions().isEmpty }
            #expect(await stack.connectorIn.deliveries.count == 1)
        }
    }

    @Test("a notification for an unknown pid is refused with 404, so the upstream stops")
    func unknownNotification() async throws {
        try await DemoStack.run { stack in
            let result = try await http(.POST, stack.connectorURL + "/notify/p-none", json: ["subscriptionNotification": [:]])
            #expect(result.status == 404)
        }
    }

    @Test("a notification that does not fit the mapping is refused with 422 and not forwarded")
    func badNotification() async throws {
        try await DemoStack.run { stack in
            // A long interval: the only notification is the one this test posts itself.
            let accepted = try await stack.call("location", "subscribe", data: ["address": "tel:+15550100001", "interval": 3600], pid: "p-odd")
            #expect(accepted.status == 202)
            let result = try await http(.POST, stack.connectorURL + "/notify/p-odd", json: ["somethingElse": true])
            #expect(result.status == 422)
            #expect(result.json?["error"]?["message"]?.stringValue?.contains("/subscriptionNotification/terminalLocation/currentLocation/") == true)
            #expect(await stack.connectorIn.deliveries.isEmpty)
        }
    }

    @Test("a pid already in use is refused with 409")
    func duplicatePid() async throws {
        try await DemoStack.run { stack in
            let data: JSONValue = ["address": "tel:+15550100002", "interval": 3600]
            #expect(try await stack.call("location", "subscribe", data: data, pid: "p-twice").status == 202)
            let again = try await stack.call("location", "subscribe", data: data, pid: "p-twice")
            #expect(again.status == 409)
            #expect(again.json?["error"]?["code"] == "duplicate_pid")
            #expect(await stack.location.activeSubscriptions().count == 1)
        }
    }

    @Test("stopping the connector deletes its upstream subscriptions")
    func shutdownCleansUp() async throws {
        let location = LocationService()
        let locationSignal = PortSignal()
        try await serve(location.makeApplication(.init(onRunning: locationSignal.onRunning)), locationSignal) { locationPort in
            var configuration = try ConfigurationTests.example(key: DemoStack.key)
            configuration.port = 0
            configuration.services["location"]?.baseURL = "http://127.0.0.1:\(locationPort)"
            let connector = RESTConnector(configuration: configuration)
            let signal = PortSignal()
            try await serve(connector.makeApplication(onRunning: signal.onRunning), signal) { port in
                let call: JSONValue = [
                    "pid": "p-stop", "service": "location", "action": "subscribe", "user": "alice",
                    "data": ["address": "tel:+15550100002", "interval": 3600], "callback": "http://127.0.0.1:1/connector/in/v1/events",
                ]
                let accepted = try await http(.POST, "http://127.0.0.1:\(port)/v1/requests", json: call, headers: [("Authorization", "Bearer \(DemoStack.key)")])
                #expect(accepted.status == 202)
                #expect(await location.activeSubscriptions().count == 1)
            }
            // The connector has stopped; the location service still runs and has nothing left.
            #expect(await location.activeSubscriptions().isEmpty)
        }
    }
}
