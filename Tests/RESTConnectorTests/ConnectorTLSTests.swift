import AsyncHTTPClient
import ConnectorKit
import DemoServices
import Foundation
import Hummingbird
import LocalServers
import NIOSSL
import Testing
import WSETesting
import WSECore
@testable import RESTConnector

/// The connector's `tls` and `ca_file` over real TLS on loopback: connector OUT served over HTTPS only, with the
/// certificate of a throw-away CA; connector IN callbacks to an https node that trust that CA.
@Suite("REST connector over TLS")
struct ConnectorTLSTests {
    @Test("with tls the connector serves connector OUT over HTTPS to a client that trusts the CA, and to no other")
    func servesHTTPSOnly() async throws {
        let authority = try Self.authority()
        let contactsSignal = PortSignal()
        try await serve(ContactsService().makeApplication(.init(onRunning: contactsSignal.onRunning)), contactsSignal) { contactsPort in
            var configuration = try ConfigurationTests.example(key: "k")
            configuration.port = 0
            configuration.tls = ListenerTLS(certificate: authority.certificateFile, key: authority.keyFile)
            configuration.services["contacts"]?.baseURL = "http://127.0.0.1:\(contactsPort)"
            let connector = RESTConnector(configuration: configuration)
            let signal = PortSignal()
            try await serve(connector.makeApplication(onRunning: signal.onRunning), signal) { port in
                let url = "https://127.0.0.1:\(port)/v1/requests"
                let call: JSONValue = [
                    "pid": "p-1", "service": "contacts", "action": "list", "user": "alice", "data": [:],
                    "callback": "https://127.0.0.1:1/connector/in/v1/events",
                ]
                try await Self.withClient(trusting: authority.caFile) { client in
                    let (status, answer) = try await Self.post(call, to: url, client: client)
                    #expect(status == 200, "\(answer)")
                    #expect(answer["data"]?["contacts"]?.arrayValue?.isEmpty == false, "\(answer)")
                }
                try await Self.withClient(trusting: nil) { client in
                    await #expect(throws: NIOSSLError.self) { try await Self.post(call, to: url, client: client) }
                    // Plain HTTP on the port gets no answer either.
                    await #expect(throws: (any Error).self) {
                        try await Self.post(call, to: "http://127.0.0.1:\(port)/v1/requests", client: client)
                    }
                }
            }
        }
    }

    @Test("connector IN pushes reach an https node with a certificate of the ca_file's CA, and only with it")
    func callbacksTrustTheCAFile() async throws {
        let authority = try Self.authority()
        let trusted = try TrustedCA(file: authority.caFile)
        let receiver = RecordingReceiver()
        let signal = PortSignal()
        let tls = ListenerTLS(certificate: authority.certificateFile, key: authority.keyFile)
        try await serve(receiver.makeApplication(signal, server: ListenerTLS.server(tls)), signal) { port in
            let callback = "https://127.0.0.1:\(port)/connector/in/v1/events"
            let client = UpstreamExchange.makeHTTPClient(trusting: trusted)
            let delivered = await ConnectorInClient(httpClient: client, key: "k").send(pid: "p-1", data: ["n": 1], final: false, to: callback)
            try await client.shutdown()
            #expect(delivered == .delivered)
            #expect(await receiver.deliveries.map(\.body) == [["pid": "p-1", "data": ["n": 1], "final": false]])

            let refused = await ConnectorInClient(httpClient: UpstreamExchange.defaultHTTPClient, key: "k")
                .send(pid: "p-2", data: [:], final: false, to: callback)
            guard case .failed = refused else { Issue.record("a push without the CA was \(refused)"); return }
            #expect(await receiver.deliveries.count == 1)
        }
    }

    @Test("a tls key or ca_file that cannot be used is refused with its place in the file")
    func unusableFilesAreRefused() throws {
        let authority = try Self.authority()
        let services = "services:\n  contacts:\n    base_url: http://127.0.0.1:1\n    actions:\n      list:\n        url: /c\n"
        let cases = [
            ("key: k\ntls:\n  certificate: \(authority.certificateFile)\n  key: /nonexistent/key.pem\n" + services, 3, "tls: the certificate"),
            ("key: k\ntls:\n  certificate: \(authority.certificateFile)\n" + services, 3, #"tls needs "key""#),
            ("key: k\nca_file: \(authority.keyFile)\n" + services, 2, "ca_file"),
        ]
        for (yaml, line, message) in cases {
            #expect {
                _ = try RESTConnectorConfiguration.parse(yaml: yaml, file: "t.yaml")
            } throws: { error in
                let error = error as? ConfigurationError
                return error?.line == line && error?.message.contains(message) == true
            }
        }
        let configuration = try RESTConnectorConfiguration.parse(
            yaml: "key: k\ntls: {certificate: \(authority.certificateFile), key: \(authority.keyFile)}\nca_file: \(authority.caFile)\n" + services)
        #expect(configuration.tls == ListenerTLS(certificate: authority.certificateFile, key: authority.keyFile))
        #expect(configuration.trustedCA?.file == authority.caFile)
    }

    /// A fresh CA and server certificate for 127.0.0.1 in a temporary folder.
    static func authority() throws -> LoopbackCertificateAuthority {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-connector-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try LoopbackCertificateAuthority(folder: folder.path)
    }

    /// Runs `body` with a client that trusts the system's roots and, when given, `caFile`; failed connections are not retried.
    static func withClient(trusting caFile: String?, _ body: (HTTPClient) async throws -> Void) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.additionalTrustRoots = [.file(caFile)] }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// A connector OUT call with the key `k`; the status and the JSON answer.
    static func post(_ call: JSONValue, to url: String, client: HTTPClient) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer k")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: call.jsonText))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), try JSONValue.parse(body.readableBytesView))
    }
}
