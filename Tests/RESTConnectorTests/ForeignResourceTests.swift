import ConnectorKit
import Testing
import WSECore
import WSETesting

@testable import RESTConnector

@Suite("REST connector: an upstream cannot send the connector elsewhere")
struct ForeignResourceTests {
    @Test("a subscription the upstream names on another origin is refused at once with 502 foreign_origin")
    func foreignResource() async throws {
        // The demo location service names its subscriptions after the Host it was called with.
        let spoofedHost = StringTemplate(parts: [.literal("169.254.169.254")])
        try await DemoStack.run(configure: { $0.services["location"]?.headers.append((name: "Host", value: spoofedHost)) }) { stack in
            let refused = try await stack.call("location", "subscribe", data: ["address": "tel:+15550100001", "interval": 3600], pid: "p-foreign")
            #expect(refused.status == 502)
            #expect(refused.json?["error"]?["code"] == "foreign_origin")
            #expect(refused.json?["error"]?["message"]?.stringValue?.contains("http://169.254.169.254/") == true)
            #expect(await stack.connector.activeSubscriptions().isEmpty)
        }
    }
}
