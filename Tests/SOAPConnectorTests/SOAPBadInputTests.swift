import Foundation
import Hummingbird
import Testing
import WSECore
import WSETesting

@testable import SOAPConnector

/// Every way a call can go wrong gets a clear error with a documented code (docs/SOAP-CONNECTOR.md).
@Suite("SOAP connector: faults, bad upstreams and bad calls")
struct SOAPBadInputTests {
    @Test("a Client fault is 400 soap_fault with the fault code and string, for SOAP 1.1 and 1.2")
    func clientFault() async throws {
        for soap in ["1.1", "1.2"] {
            try await SMSStack.run(soap: soap) { stack in
                let refused = try await stack.call("send", data: ["to": "sip:bob@example.com", "text": "hi"])
                #expect(refused.status == 400, "\(soap): \(refused.text)")
                #expect(refused.errorCode == "soap_fault")
                #expect(refused.errorMessage.contains(soap == "1.1" ? "Client.SVC0002" : "Sender/SVC0002"), "\(refused.errorMessage)")
                #expect(refused.errorMessage.contains("Invalid input value for message part addresses: sip:bob@example.com"))
            }
        }
    }

    @Test("a Server fault is 502 soap_fault; an unknown request identifier is the caller's (400)")
    func serverFault() async throws {
        try await SMSStack.run { stack in
            let failed = try await stack.call("send", data: ["to": "tel:+15550100002", "text": "fail"])
            #expect(failed.status == 502)
            #expect(failed.errorCode == "soap_fault")
            #expect(failed.errorMessage.contains("Server.SVC0001: A service error occurred: the SMSC is down"), "\(failed.errorMessage)")
            let unknown = try await stack.call("status", data: ["requestIdentifier": "sms-999999"])
            #expect(unknown.status == 400)
            #expect(unknown.errorMessage.contains("SVC0004"))
        }
    }

    @Test("a wrong WS-Security password is a 502 fault that points at the connector's credentials")
    func wrongPassword() async throws {
        try await SMSStack.run(connectorPassword: "not-the-password") { stack in
            let refused = try await stack.call("send", data: ["to": "tel:+15550100002", "text": "hi"])
            #expect(refused.status == 502)
            #expect(refused.errorCode == "soap_fault")
            #expect(refused.errorMessage.contains("check the connector's credentials"), "\(refused.errorMessage)")
        }
    }

    @Test("missing data fields are 400 before any upstream call; unknown actions 404; a wrong key 401")
    func badCalls() async throws {
        try await SMSStack.run { stack in
            let noText = try await stack.call("send", data: ["to": "tel:+15550100002"])
            #expect(noText.status == 400)
            #expect(noText.errorMessage == "missing field data.text")
            let object = try await stack.call("send", data: ["to": ["a": 1], "text": "x"])
            #expect(object.status == 400)
            #expect(object.errorMessage.contains("data.to"))
            let control = try await stack.call("send", data: ["to": "tel:+15550100002", "text": "bell \u{07}"])
            #expect(control.status == 400)
            #expect(control.errorMessage.contains("control character"))
            let unknown = try await stack.call("cancel", data: [:])
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "unknown_action")
            #expect(unknown.errorMessage.contains("sms.send, sms.status"))
            let wrongKey = try await stack.call("send", data: ["to": "tel:+1", "text": "x"], key: "nope")
            #expect(wrongKey.status == 401)
        }
    }

    /// An upstream that answers what the test says, on the path the test names; the slow route waits until released.
    static func withFakeUpstream(_ body: (_ url: String, _ arrivals: AsyncStream<Void>, _ release: AsyncStream<Void>.Continuation) async throws -> Void) async throws {
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let (arrivals, arrival) = AsyncStream.makeStream(of: Void.self)
        let router = Router()
        router.post("/slow") { _, _ -> String in
            arrival.yield()
            for await _ in release { break }
            return ""
        }
        router.post("/html") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body>Log in</body></html>")))
        }
        router.post("/garbage") { _, _ in "this is not XML" }
        router.post("/big") { _, _ -> Response in
            let big = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><r>" + String(repeating: "x", count: 2 << 20) + "</r></soap:Body></soap:Envelope>"
            return Response(status: .ok, headers: [.contentType: "text/xml"], body: .init(byteBuffer: ByteBuffer(string: big)))
        }
        router.post("/notfound") { _, _ in Response(status: .notFound) }
        router.post("/wrongxml") { _, _ in "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>" }
        let signal = PortSignal()
        let onRunning = signal.onRunning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await onRunning($0.localAddress?.port ?? 0) })
        try await serve(app, signal) { port in
            defer { releaseContinuation.finish() }  // lets the slow route end, whatever happens
            try await body("http://127.0.0.1:\(port)", arrivals, releaseContinuation)
        }
    }

    @Test("an upstream that does not answer in time is 504 upstream_timeout, on the connector's clock", .timeLimit(.minutes(1)))
    func timeout() async throws {
        try await Self.withFakeUpstream { url, arrivals, _ in
            let clock = ManualClock()
            try await SMSStack.run(configure: {
                $0.services["sms"]?.endpoint = url + "/slow"
                $0.clock = clock
            }) { stack in
                async let answer = stack.call("send", data: ["to": "tel:+15550100002", "text": "hi"])
                var arrived = arrivals.makeAsyncIterator()
                _ = await arrived.next()
                try await clock.sleepers(reach: 1)
                clock.advance(by: .seconds(10) - .milliseconds(1))
                #expect(clock.sleeperCount == 1, "the timeout has not passed yet")
                clock.advance(by: .milliseconds(1))
                let result = try await answer
                #expect(result.status == 504)
                #expect(result.errorCode == "upstream_timeout")
                #expect(result.errorMessage.contains("within 10.0 s"))
            }
        }
    }

    @Test(
        "HTML, garbage, other XML, an error status without a fault, or an answer over the size limit is 502 with what was wrong",
        arguments: [
            ("/html", "bad_upstream_reply", "an HTML page"), ("/garbage", "bad_upstream_reply", "not XML"),
            ("/wrongxml", "bad_upstream_reply", "not a SOAP 1.1 envelope"), ("/big", "bad_upstream_reply", "more than 1048576 bytes"),
            ("/notfound", "bad_upstream_reply", "HTTP 404"),
        ])
    func badUpstream(path: String, code: String, detail: String) async throws {
        try await Self.withFakeUpstream { url, _, _ in
            try await SMSStack.run(configure: { $0.services["sms"]?.endpoint = url + path }) { stack in
                let result = try await stack.call("send", data: ["to": "tel:+15550100002", "text": "hi"])
                #expect(result.status == 502, "\(path): \(result.text)")
                #expect(result.errorCode == code, "\(path)")
                #expect(result.errorMessage.contains(detail), "\(path): \(result.errorMessage)")
            }
        }
    }

    @Test("an upstream that is down is 502 upstream_unreachable")
    func down() async throws {
        try await SMSStack.run(configure: { $0.services["sms"]?.endpoint = "http://127.0.0.1:1/sms" }) { stack in
            let result = try await stack.call("send", data: ["to": "tel:+15550100002", "text": "hi"])
            #expect(result.status == 502)
            #expect(result.errorCode == "upstream_unreachable")
        }
    }
}
