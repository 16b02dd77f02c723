import DemoServices
import Testing
import WSETesting
import WSECore

/// With a consent list, the location service answers only requesters the terminal's owner allowed.
@Suite("Demo location service: the owners' consent")
struct LocationConsentTests {
    static let bobEncoded = "tel%3A%2B15550100002"

    @Test("a requester bob allowed gets his position; a stranger, or no requester, gets 403 POL0002 before any lookup")
    func consent() async throws {
        let service = LocationService(consent: LocationConsent(allowed: ["tel:+15550100002": ["bob", "alice"]]))
        let signal = PortSignal()
        try await serve(service.makeApplication(.init(onRunning: signal.onRunning)), signal) { port in
            let query = "http://127.0.0.1:\(port)/location/v1/queries/location?requestedAccuracy=100&address="
            #expect(try await http(.GET, query + Self.bobEncoded + "&requester=alice").status == 200)
            for refused in [query + Self.bobEncoded + "&requester=dave", query + Self.bobEncoded, query + "tel%3A%2B19990000000&requester=alice"] {
                let result = try await http(.GET, refused)
                #expect(result.status == 403, "\(refused)")
                #expect(result.json?["requestError"]?["policyException"]?["messageId"] == "POL0002", "\(refused)")
            }
            let subscription: JSONValue = ["periodicNotificationSubscription": [
                "callbackReference": ["notifyURL": "http://127.0.0.1:9/notify"], "address": "tel:+15550100002",
                "frequency": 5, "requester": "dave",
            ]]
            let subscribe = try await http(.POST, "http://127.0.0.1:\(port)/location/v1/subscriptions/periodic", json: subscription)
            #expect(subscribe.status == 403)
        }
    }

    @Test("mutual consent: every subscriber may locate every other, nobody else")
    func mutual() {
        let consent = LocationConsent.mutual(DemoSubscriber.seed)
        #expect(consent.allowed["tel:+15550100001"] == ["alice", "bob", "carol"])
        #expect(consent.allowed.count == 3)
    }
}
