import DemoServices
import Foundation
import Testing
import WSETesting
import WSECore

@Suite("Demo location service: periodic notifications")
struct LocationSubscriptionTests {
    static func subscription(notifyURL: String, address: String = "tel:+15550100003", frequency: JSONValue = 0.2) -> JSONValue {
        [
            "periodicNotificationSubscription": [
                "callbackReference": ["notifyURL": .string(notifyURL), "callbackData": "cb-42"],
                "address": .string(address), "frequency": frequency, "requestedAccuracy": 50,
            ]
        ]
    }

    /// Serves `service` and a recording receiver on loopback while `body` runs with their ports.
    static func withServers(
        _ service: LocationService, _ receiver: RecordingReceiver, _ body: (_ port: Int, _ receiverPort: Int) async throws -> Void
    ) async throws {
        let receiverSignal = PortSignal()
        try await serve(receiver.makeApplication(receiverSignal), receiverSignal) { receiverPort in
            let signal = PortSignal()
            try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
                try await body(port, receiverPort)
            }
        }
    }

    /// Moves `clock` one period on once the subscription sleeps, and waits for the notification
    /// that period brings (it travels over loopback HTTP).
    static func tick(_ clock: ManualClock, by period: Duration, to receiver: RecordingReceiver, expecting count: Int) async throws {
        try await clock.sleepers(reach: 1)
        #expect(await receiver.deliveries.count == count - 1, "nothing is sent between periods")
        clock.advance(by: period - .milliseconds(1))
        #expect(clock.sleeperCount == 1, "nothing is due before the period is over")
        clock.advance(by: .milliseconds(1))
        try await eventually("notification \(count)") { await receiver.deliveries.count >= count }
    }

    @Test("notifies once every frequency seconds until the subscription is deleted")
    func notifiesUntilDeleted() async throws {
        let clock = ManualClock()
        let service = LocationService(clock: clock)
        let receiver = RecordingReceiver()
        try await Self.withServers(service, receiver) { port, receiverPort in
            let created = try await http(
                .POST, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic",
                json: Self.subscription(notifyURL: "http://127.0.0.1:\(receiverPort)/notify/here"))
            #expect(created.status == 201)
            let resourceURL = try #require(created.json?["periodicNotificationSubscription"]?["resourceURL"]?.stringValue)
            #expect(created.headers.first(name: "Location") == resourceURL)
            #expect(resourceURL.hasPrefix("http://127.0.0.1:\(port)/location/v1/subscriptions/periodic/"))
            #expect(try await http(.GET, resourceURL).json?["periodicNotificationSubscription"]?["address"] == "tel:+15550100003")

            for count in 1...3 {
                try await Self.tick(clock, by: .milliseconds(200), to: receiver, expecting: count)
            }
            try await clock.sleepers(reach: 1)
            #expect(await receiver.deliveries.count == 3)
            let first = try #require(await receiver.deliveries.first)
            #expect(first.path == "/notify/here")
            let notification = try #require(first.body?["subscriptionNotification"])
            #expect(notification["callbackData"] == "cb-42")
            #expect(notification["terminalLocation"]?["address"] == "tel:+15550100003")
            #expect(notification["terminalLocation"]?["currentLocation"]?["latitude"]?.doubleValue != nil)

            #expect(try await http(.DELETE, resourceURL).status == 204)
            #expect(await service.activeSubscriptions().isEmpty)
            // The deletion ended the subscription's task before it was answered: no timer is left.
            #expect(clock.sleeperCount == 0)
            clock.advance(by: .seconds(1))
            #expect(await receiver.deliveries.count == 3)
            #expect(try await http(.DELETE, resourceURL).status == 404)
        }
    }

    @Test("a notifyURL that keeps answering 404 ends the subscription")
    func goneReceiverEndsSubscription() async throws {
        let clock = ManualClock()
        let service = LocationService(policy: .init(goneLimit: 2), clock: clock)
        let receiver = RecordingReceiver()
        await receiver.setAnswer(.notFound)
        try await Self.withServers(service, receiver) { port, receiverPort in
            let created = try await http(
                .POST, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic",
                json: Self.subscription(notifyURL: "http://127.0.0.1:\(receiverPort)/gone", frequency: 0.1))
            #expect(created.status == 201)
            #expect(await service.activeSubscriptions().count == 1)
            try await Self.tick(clock, by: .milliseconds(100), to: receiver, expecting: 1)
            try await Self.tick(clock, by: .milliseconds(100), to: receiver, expecting: 2)
            try await eventually("the subscription is dropped") { await service.activeSubscriptions().isEmpty }
            #expect(clock.sleeperCount == 0)
            #expect(await receiver.deliveries.count == 2)
            let list = try await http(.GET, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic")
            #expect(list.json?["notificationSubscriptionList"]?["periodicNotificationSubscription"] == [])
        }
    }

    @Test("a subscription with a duration notifies until then and ends at its end")
    func durationEnds() async throws {
        let clock = ManualClock()
        let service = LocationService(clock: clock)
        let receiver = RecordingReceiver()
        try await Self.withServers(service, receiver) { port, receiverPort in
            var body = Self.subscription(notifyURL: "http://127.0.0.1:\(receiverPort)/n", frequency: 0.1)
            if case .object(var outer) = body, case .object(var inner)? = outer["periodicNotificationSubscription"] {
                inner["duration"] = 0.35
                outer["periodicNotificationSubscription"] = .object(inner)
                body = .object(outer)
            }
            #expect(try await http(.POST, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic", json: body).status == 201)
            for count in 1...3 {
                try await Self.tick(clock, by: .milliseconds(100), to: receiver, expecting: count)
            }
            // 0.3 s have passed; the next period would end after 0.35 s, so it waits for the end.
            try await clock.sleepers(reach: 1)
            #expect(await service.activeSubscriptions().count == 1)
            clock.advance(by: .milliseconds(49))
            #expect(clock.sleeperCount == 1)
            clock.advance(by: .milliseconds(1))
            try await eventually("the subscription expires") { await service.activeSubscriptions().isEmpty }
            #expect(await receiver.deliveries.count == 3)
        }
    }

    @Test("bad subscription requests get OneAPI errors naming the part")
    func badRequests() async throws {
        let signal = PortSignal()
        try await serve(LocationService().makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let url = "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic"
            func variables(_ body: JSONValue?, text: String? = nil) async throws -> (Int, JSONValue?) {
                let result = try await http(.POST, url, json: body, text: text)
                return (result.status, result.json?["requestError"]?["serviceException"]?["variables"])
            }
            #expect(try await variables(nil, text: "not json") == (400, ["body"]))
            #expect(try await variables(["other": 1]) == (400, ["periodicNotificationSubscription"]))
            #expect(try await variables(Self.subscription(notifyURL: "ftp://x/y")) == (400, ["notifyURL"]))
            #expect(try await variables(Self.subscription(notifyURL: "http://127.0.0.1:1/n", frequency: 0)) == (400, ["frequency"]))
            #expect(try await variables(Self.subscription(notifyURL: "http://127.0.0.1:1/n", frequency: "5")) == (400, ["frequency"]))
            #expect(try await variables(Self.subscription(notifyURL: "http://127.0.0.1:1/n", address: "bob")) == (400, ["address"]))
            let unknown = try await variables(Self.subscription(notifyURL: "http://127.0.0.1:1/n", address: "tel:+19990000000"))
            #expect(unknown.0 == 404)
            #expect(try await http(.DELETE, url + "/sub-nope").status == 404)
            #expect(try await http(.GET, url + "/sub-nope").status == 404)
        }
    }
}
