import Foundation
import Testing
import Demo
import WSECore

/// The demo contract's `sms` service (PROTOCOL.md 1.1) end to end: browser protocol, node,
/// the SOAP connector and the Parlay X SMS server the demo starts (needs Python's spyne).
@Suite(.serialized) struct DemoSMSTests {
    @Test func aSessionSendsAnSMSAndReadsItsDeliveryStatusAndAFaultIsABadRequest() async throws {
        try await withRunningDemo { demo in
            let token = try await login("alice", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                #expect(try await socket.next()["type"] == "welcome")

                try await socket.send(["type": "request", "id": "s", "service": "sms", "action": "send", "data": ["to": "tel:+15550100002", "text": "hi bob"]])
                let sent = try await socket.next()
                let identifier = try #require(sent["data"]?["requestIdentifier"]?.stringValue, "\(sent.jsonText)")

                try await socket.send(["type": "request", "id": "q", "service": "sms", "action": "status", "data": ["requestIdentifier": .string(identifier)]])
                let status = try await socket.next()
                #expect(status["id"] == "q")
                #expect(status["data"] == ["deliveryStatus": [["address": "tel:+15550100002", "status": "DeliveredToTerminal"]]])

                try await socket.send(["type": "request", "id": "f", "service": "sms", "action": "send", "data": ["to": "bob", "text": "hi"]])
                let fault = try await socket.next()
                #expect(fault["type"] == "error" && fault["id"] == "f" && fault["code"] == "bad_request")
                #expect(fault["message"]?.stringValue?.contains("SVC0002") == true, "\(fault.jsonText)")
            }
        }
    }
}
