import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import WSETesting
@testable import WSEApp

/// `node.tls`: the node serves HTTPS and WSS with the configured certificate, tells browsers to stay on HTTPS (HSTS),
/// and a reload (what SIGHUP does) makes new connections use the renewed certificate.
@Suite(.timeLimit(.minutes(1))) struct NodeTLSTests {
    @Test func httpsAnswersWithStrictTransportSecurity() async throws {
        let files = try CertificateFiles()
        let first = try files.issue()
        try await withRunningNode(files.configuration) { _, base in
            let answer = try await Self.get(base + "/healthz", trusting: first)
            #expect(answer.status == .ok)
            #expect(answer.headers.first(name: "strict-transport-security") == "max-age=31536000")
        }
    }

    /// The session protocol runs over TLS: the upgrade switches protocols, and a `hello` with a bad token is closed 4401.
    @Test func aSessionWebSocketRunsOverTLS() async throws {
        let files = try CertificateFiles()
        let certificate = try files.issue()
        try await withRunningNode(files.configuration) { _, base in
            let port = Int(base.split(separator: ":").last!)!
            let (head, closeCode) = try await Self.badHelloOverTLS(port: port, trusting: certificate)
            #expect(head.hasPrefix("HTTP/1.1 101"), "\(head)")
            #expect(closeCode == 4401)
        }
    }

    @Test func aReloadServesTheRenewedCertificateToNewConnections() async throws {
        let files = try CertificateFiles()
        let first = try files.issue()
        try await withRunningNode(files.configuration) { node, base in
            let renewed = try files.issue()
            try #require(node.tls).reload()
            #expect(try await Self.get(base + "/healthz", trusting: renewed).status == .ok)
            // The handshake refuses the renewed certificate to a client that trusts only the first one: the exchange
            // fails (with the TLS error, or the closed channel's, depending on which the client meets first).
            let port = Int(base.split(separator: ":").last!)!
            await #expect(throws: (any Error).self) { try await Self.badHelloOverTLS(port: port, trusting: first) }
        }
    }

    /// TLS 1.0 and 1.1 are refused in the handshake; the same client allowed TLS 1.2 (or 1.3) only is served.
    @Test(arguments: [
        (TLSVersion.tlsv1, TLSVersion.tlsv1, false), (.tlsv11, .tlsv11, false), (.tlsv1, .tlsv11, false),
        (.tlsv12, .tlsv12, true), (.tlsv13, .tlsv13, true),
    ])
    func onlyTLS12AndLaterAreServed(lowest: TLSVersion, highest: TLSVersion, served: Bool) async throws {
        let files = try CertificateFiles()
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try files.issue()])
        tls.minimumTLSVersion = lowest
        tls.maximumTLSVersion = highest
        let context = try NIOSSLContext(configuration: tls)
        try await withRunningNode(files.configuration) { _, base in
            do {
                let answer = try await Self.exchange(Self.healthCheck, port: Int(base.split(separator: ":").last!)!, tls: context)
                #expect(served && answer.hasPrefix("HTTP/1.1 200"), "TLS \(lowest)-\(highest) was answered: \(answer)")
            } catch NIOSSLError.handshakeFailed(let reason) {
                #expect(!served, "TLS \(lowest)-\(highest) was refused: \(reason)")
                #expect("\(reason)".uppercased().contains("PROTOCOL_VERSION") || "\(reason)".uppercased().contains("UNSUPPORTED_PROTOCOL"), "\(reason)")
            }
        }
    }

    /// Plain HTTP on the TLS port gets no HTTP answer (the bytes are no TLS record: the connection ends), while the same
    /// request to a node without TLS is answered: nothing on the TLS port is served in the clear.
    @Test func plainHTTPOnTheTLSPortIsNotServed() async throws {
        let files = try CertificateFiles()
        _ = try files.issue()
        try await withRunningNode(files.configuration) { _, base in
            let answer = try await Self.exchange(Self.healthCheck, port: Int(base.split(separator: ":").last!)!, tls: nil)
            #expect(!answer.hasPrefix("HTTP/"), "\(answer)")
        }
        try await withRunningNode(NodeConfiguration()) { _, base in
            let answer = try await Self.exchange(Self.healthCheck, port: Int(base.split(separator: ":").last!)!, tls: nil)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        }
    }

    @Test func aMissingKeyStopsTheStartWithTheReason() async throws {
        var configuration = NodeConfiguration()
        configuration.node.tls = .init(certificate: "/nonexistent/cert.pem", key: "/nonexistent/key.pem")
        await #expect(throws: NodeStartupError.self) { try await withRunningNode(configuration) { _, _ in } }
    }

    /// `connectorOut.caFile` is read from the node's file; a file that is no PEM of certificates stops the start.
    @Test func theConnectorCAFileIsReadAndAnUnreadableOneStopsTheStart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wse-ca-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "connectorOut:\n  caFile: /nonexistent/ca.pem\n".write(to: file, atomically: true, encoding: .utf8)
        let configuration = try NodeRunner.loadConfiguration(file: file.path)
        #expect(configuration.connectorOut.caFile == "/nonexistent/ca.pem")
        await #expect {
            try await withRunningNode(configuration) { _, _ in }
        } throws: { error in
            "\(error)".contains("connectorOut.caFile: /nonexistent/ca.pem")
        }
    }

    /// One GET with a client that trusts `certificate` only.
    private static func get(_ url: String, trusting certificate: NIOSSLCertificate) async throws -> HTTPClientResponse {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([certificate])
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            try await client.shutdown()
            return response
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    /// Opens a TLS connection, sends the RFC 6455 opening handshake for `/wse`, then a `hello` with a bad token;
    /// returns the handshake's answer head and the code of the close frame that follows.
    private static func badHelloOverTLS(port: Int, trusting certificate: NIOSSLCertificate) async throws -> (String, Int?) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([certificate])
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET /wse HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
            var received: [UInt8] = []
            var iterator = inbound.makeAsyncIterator()
            func headEnd() -> Int? {
                received.indices.dropLast(3).first { received[$0...($0 + 3)].elementsEqual([13, 10, 13, 10]) }.map { $0 + 4 }
            }
            while headEnd() == nil, let chunk = try await iterator.next() { received += Array(buffer: chunk) }
            guard let end = headEnd() else { return (String(decoding: received, as: UTF8.self), nil) }
            let head = String(decoding: received[..<end], as: UTF8.self)
            try await outbound.write(ByteBuffer(bytes: maskedTextFrame(#"{"type":"hello","token":"not-a-token"}"#)))
            var frames = Array(received[end...])
            // A close frame from the server: 0x88, its length (under 126), then the 2-byte code.
            while frames.count < 4, let chunk = try await iterator.next() { frames += Array(buffer: chunk) }
            guard frames.count >= 4, frames[0] == 0x88 else { return (head, nil) }
            return (head, Int(frames[2]) << 8 | Int(frames[3]))
        }
    }

    static let healthCheck = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    /// Sends `request` over TCP, through TLS when a context is given, and returns what comes back up to the end of
    /// the answer's head, or until the server closes.
    private static func exchange(_ request: String, port: Int, tls: NIOSSLContext?) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nil)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            // A refused handshake may have closed the connection before the request is written (the write then
            // fails with "I/O on closed channel"): what happened is what the read below reports.
            try? await outbound.write(ByteBuffer(string: request))
            var received: [UInt8] = []
            for try await chunk in inbound {
                received += Array(buffer: chunk)
                if String(decoding: received, as: UTF8.self).contains("\r\n\r\n") || received.count > 65536 { break }
            }
            return String(decoding: received, as: UTF8.self)
        }
    }

    /// A client's text frame: final, masked (RFC 6455 §5.3), payload under 126 bytes.
    private static func maskedTextFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        return [0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $1 ^ mask[$0 % 4] }
    }
}

/// A certificate and key for 127.0.0.1 in a fresh folder, made by `openssl`; `issue()` replaces them with new ones.
struct CertificateFiles {
    let folder: URL
    var certificate: String { folder.appendingPathComponent("cert.pem").path }
    var key: String { folder.appendingPathComponent("key.pem").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var configuration: NodeConfiguration {
        var configuration = NodeConfiguration()
        configuration.node.tls = .init(certificate: certificate, key: key)
        return configuration
    }

    /// Writes a new self-signed certificate (P-256, one day) and its key; returns the certificate.
    func issue() throws -> NIOSSLCertificate {
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestFailure("openssl could not make a certificate") }
        guard let issued = try NIOSSLCertificate.fromPEMFile(certificate).first else { throw TestFailure("no certificate in \(certificate)") }
        return issued
    }
}
