import AsyncHTTPClient
import Foundation
import NIOSSL
import Testing
import Demo
import WSECore

/// `wse demo --tls` over real TLS on loopback: the node serves https and wss with the certificate of the CA the
/// demo made, the REST, IMS and SOAP connectors serve connector OUT over https (the node trusts the CA), the REST
/// connector's notifications and callbacks cross https, and a client that does not trust the CA is refused.
@Suite(.serialized) struct DemoTLSTests {
    @Test func aClientThatTrustsTheCAUsesHTTPSAndWSSAndTheTLSConnectorsEndToEnd() async throws {
        try await withRunningDemo(tls: true) { demo in
            #expect(demo.nodeURL.hasPrefix("https://127.0.0.1:"))
            let caFile = try #require(demo.caFile)
            try await withTrustingClient(caFile) { client, tls in
                let (health, _) = try await httpCall("GET", demo.nodeURL + "/healthz", client: client)
                #expect(health == 200)
                let token = try await login("alice", at: demo.nodeURL, client: client)
                try await withSocket(demo.nodeURL, tls: tls) { socket in
                    try await socket.send(["type": "hello", "token": .string(token)])
                    #expect(try await socket.next()["type"] == "welcome")

                    // contacts: node -> REST connector over https -> demo services.
                    try await socket.send(["type": "request", "id": "c", "service": "contacts", "action": "list"])
                    let contacts = try await socket.next()
                    #expect(contacts["id"] == "c" && contacts["data"]?["contacts"]?.arrayValue?.count == 2, "\(contacts)")

                    // sip register: node -> IMS connector over https -> the embedded presence server.
                    try await socket.send(["type": "request", "id": "r", "service": "sip", "action": "register"])
                    let registered = try await socket.next()
                    #expect(registered["id"] == "r" && registered["data"]?["registered"] == true, "\(registered)")

                    // sms send: node -> SOAP connector over https -> the Parlay X SMS server (needs Python's spyne).
                    try await socket.send([
                        "type": "request", "id": "m", "service": "sms", "action": "send", "data": ["to": "tel:+15550100002", "text": "hi"],
                    ])
                    let sent = try await socket.next()
                    #expect(sent["id"] == "m" && sent["data"]?["requestIdentifier"]?.stringValue != nil, "\(sent)")

                    // location subscribe: the location service notifies the REST connector over https, which
                    // pushes to the node's connector IN over https.
                    try await socket.send([
                        "type": "request", "id": "s", "service": "location", "action": "subscribe",
                        "data": ["address": "tel:+15550100002", "interval": 1],
                    ])
                    let accepted = try await socket.next()
                    let pid = try #require(accepted["pid"]?.stringValue, "\(accepted)")
                    let event = try await socket.next(within: 5)
                    #expect(event["type"] == "event" && event["pid"]?.stringValue == pid && event["data"]?["latitude"]?.doubleValue != nil)
                    try await socket.send(["type": "cancel", "pid": .string(pid)])
                }
            }
        }
    }

    @Test func aClientThatDoesNotTrustTheCAIsRefusedByTheNodeAndTheConnectors() async throws {
        try await withRunningDemo(tls: true) { demo in
            // The system's roots only: the demo's CA is not among them. A failed connection is not retried.
            var configuration = HTTPClient.Configuration(tlsConfiguration: .makeClientConfiguration())
            configuration.connectionPool.retryConnectionEstablishment = false
            let untrusting = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            for url in [demo.nodeURL + "/healthz", demo.connectorURL + "/healthz", demo.retailerURL + "/"] {
                await #expect(throws: NIOSSLError.self, "\(url)") { try await httpCall("GET", url, client: untrusting) }
            }
            // The listeners speak TLS only: plain HTTP on the node's port gets no answer.
            let plain = demo.nodeURL.replacingOccurrences(of: "https://", with: "http://")
            await #expect(throws: (any Error).self) { try await httpCall("GET", plain + "/healthz", client: untrusting) }
            try await untrusting.shutdown()
        }
    }

    /// `wse demo drive --node https://… --cacert FILE`: the driver logs in, opens its sessions over wss and
    /// changes presence and places; without `--cacert` it cannot reach the node.
    @Test func theDriverDrivesATLSDemoWithItsCA() async throws {
        try await withRunningDemo(tls: true) { demo in
            let log = DriverLog()
            var options = DemoDriverOptions()
            options.nodeURL = demo.nodeURL
            options.caFile = demo.caFile
            options.every = 0.05
            options.rounds = 2
            try await DemoDriver(options: options, report: log.add).run()
            #expect(log.changes.count >= 4, "\(log.lines)")
            #expect(!log.lines.contains { $0.contains("skipped") }, "\(log.lines)")

            options.caFile = nil
            let refused = await #expect(throws: DemoDriverError.self) { try await DemoDriver(options: options, report: { _ in }).run() }
            #expect(refused?.description.contains("--cacert") == true, "\(String(describing: refused))")
        }
    }

    /// Runs `body` with an HTTP client, and the TLS configuration of a WebSocket client, that trust `caFile` only.
    private func withTrustingClient(
        _ caFile: String, _ body: (HTTPClient, TLSConfiguration) async throws -> Void
    ) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(caFile)
        // Closing, the client need not wait for the node's close_notify (RFC 8446, 6.1), which it has stopped reading.
        tls.shutdownTimeout = .milliseconds(100)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            try await body(client, tls)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
