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

    @Test("notifies every frequency seconds until the subscription is deleted")
    func notifiesUntilDeleted() async throws {
        let service = LocationService()
        let receiver = RecordingReceiver()
        let receiverSignal = PortSignal()
        try await serve(receiver.makeApplication(receiverSignal), receiverSignal) { receiverPort in
            let signal = PortSignal()
            try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
                let created = try await http(
                    .POST, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic",
                    json: Self.subscription(notifyURL: "http://127.0.0.1:\(receiverPort)/notify/here"))
                #expect(created.status == 201)
                let resourceURL = try #require(created.json?["periodicNotificationSubscription"]?["resourceURL"]?.stringValue)
                #expect(created.headers.first(name: "Location") == resourceURL)
                #expect(resourceURL.hasPrefix("http://127.0.0.1:\(port)/location/v1/subscriptions/periodic/"))
                #expect(try await http(.GET, resourceURL).json?["periodicNotificationSubscription"]?["address"] == "tel:+15550100003")

                try await eventually("two notifications") { await receiver.deliveries.count >= 2 }
                let first = try #require(await receiver.deliveries.first)
                #expect(first.path == "/notify/here")
                let notification = try #require(first.body?["subscriptionNotification"])
                #expect(notification["callbackData"] == "cb-42")
                #expect(notification["terminalLocation"]?["address"] == "tel:+15550100003")
                #expect(notification["terminalLocation"]?["currentLocation"]?["latitude"]?.doubleValue != nil)

                #expect(try await http(.DELETE, resourceURL).status == 204)
                #expect(await service.activeSubscriptions().isEmpty)
                let countAtDelete = await receiver.deliveries.count
                // Three periods without a notification show that the deletion stopped them
                // (one may already have been in flight when DELETE arrived).
                try await Task.sleep(for: .milliseconds(600))
                #expect(await receiver.deliveries.count <= countAtDelete + 1)
                #expect(try await http(.DELETE, resourceURL).status == 404)
            }
        }
    }

    @Test("a notifyURL that keeps answering 404 ends the subscription")
    func goneReceiverEndsSubscription() async throws {
        let service = LocationService(policy: .init(goneLimit: 2))
        let receiver = RecordingReceiver()
        await receiver.setAnswer(.notFound)
        let receiverSignal = PortSignal()
        try await serve(receiver.makeApplication(receiverSignal), receiverSignal) { receiverPort in
            let signal = PortSignal()
            try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
                let created = try await http(
                    .POST, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic",
                    json: Self.subscription(notifyURL: "http://127.0.0.1:\(receiverPort)/gone", frequency: 0.1))
                #expect(created.status == 201)
                #expect(await service.activeSubscriptions().count == 1)
                try await eventually("the subscription is dropped") { await service.activeSubscriptions().isEmpty }
                #expect(await receiver.deliveries.count == 2)
                let list = try await http(.GET, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic")
                #expect(list.json?["notificationSubscriptionList"]?["periodicNotificationSubscription"] == [])
            }
        }
    }

    @Test("a subscription with a duration ends by itself")
    func durationEnds() async throws {
        let service = LocationService()
        let receiver = RecordingReceiver()
        let receiverSignal = PortSignal()
        try await serve(receiver.makeApplication(receiverSignal), receiverSignal) { receiverPort in
            let signal = PortSignal()
            try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
                var body = Self.subscription(notifyURL: "http://127.0.0.1:\(receiverPort)/n", frequency: 0.1)
                if case .object(var outer) = body, case .object(var inner)? = outer["periodicNotificationSubscription"] {
                    inner["duration"] = 0.35
                    outer["periodicNotificationSubscription"] = .object(inner)
                    body = .object(outer)
                }
                #expect(try await http(.POST, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic", json: body).status == 201)
                try await eventually("the subscription expires") { await service.activeSubscriptions().isEmpty }
                #expect((1...3).contains(await receiver.deliveries.count))
            }
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
