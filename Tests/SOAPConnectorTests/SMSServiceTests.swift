import Foundation
import Testing
import WSECore
import WSETesting

@testable import SOAPConnector

/// The connector against a SOAP server nobody here wrote (spyne), through the demo's configuration.
@Suite("SOAP connector: the Parlay X SMS service")
struct SMSServiceTests {
    @Test("send answers the requestIdentifier; status the delivery of every address, a list of one still a list (SOAP 1.1, PasswordDigest)")
    func sendAndStatus() async throws {
        try await SMSStack.run { stack in
            let sent = try await stack.call("send", data: ["to": "tel:+15550100002", "text": "Dinner at 8? <yes> & \"no\""])
            #expect(sent.status == 200, "\(sent.text)")
            let identifier = try #require(sent.json?["data"]?["requestIdentifier"]?.stringValue)
            #expect(identifier.hasPrefix("sms-"))
            let status = try await stack.call("status", data: ["requestIdentifier": .string(identifier)])
            #expect(status.status == 200, "\(status.text)")
            #expect(status.json?["data"] == ["deliveryStatus": [["address": "tel:+15550100002", "status": "DeliveredToTerminal"]]])
        }
    }

    @Test("a list in data makes one element per item, in order")
    func severalAddresses() async throws {
        try await SMSStack.run { stack in
            let sent = try await stack.call("send", data: ["to": ["tel:+15550100002", "tel:+15550100003"], "text": "hi"])
            let identifier = try #require(sent.json?["data"]?["requestIdentifier"]?.stringValue, "\(sent.text)")
            let status = try await stack.call("status", data: ["requestIdentifier": .string(identifier)])
            #expect(status.json?["data"]?["deliveryStatus"]?.arrayValue?.compactMap { $0["address"]?.stringValue } == ["tel:+15550100002", "tel:+15550100003"])
        }
    }

    @Test("SOAP 1.2: the WSDL's SOAP 1.2 port is used, with PasswordText")
    func soap12() async throws {
        try await SMSStack.run(soap: "1.2", configure: { $0.services["sms"]?.security?.digest = false }) { stack in
            let sent = try await stack.call("send", data: ["to": "tel:+15550100001", "text": "over 1.2"])
            #expect(sent.status == 200, "\(sent.text)")
            #expect(sent.json?["data"]?["requestIdentifier"]?.stringValue?.hasPrefix("sms-") == true)
        }
    }
}
