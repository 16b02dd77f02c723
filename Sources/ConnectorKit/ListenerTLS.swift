import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// A connector's certificate chain and private key (PEM files), the `tls` of its configuration: with them the
/// connector serves connector OUT over HTTPS only (TLS 1.2 or later). The node must then trust the issuer
/// (`connectorOut.caFile`, docs/SECURITY.md).
public struct ListenerTLS: Sendable, Codable, Equatable {
    public var certificate: String
    public var key: String

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }

    /// The server side of TLS, read from the files now: a file that cannot be used fails here, with the reason.
    package func serverConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate)
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        // A closing server need not wait for the client's close_notify (RFC 8446, 6.1): waiting the default 5 s for
        // clients that have stopped reading held every graceful shutdown up.
        configuration.shutdownTimeout = .milliseconds(100)
        // A context made now refuses a key that does not match the certificate before the listener starts.
        _ = try NIOSSLContext(configuration: configuration)
        return configuration
    }

    /// A connector's HTTP/1.1 server: behind TLS when `tls` is set. The files are read again when the listener
    /// starts (they were checked when the configuration was read); one that cannot be used then stops the start.
    package static func server(_ tls: ListenerTLS?) -> HTTPServerBuilder {
        guard let tls else { return .http1() }
        return HTTPServerBuilder { responder in
            try TLSChannel(HTTP1Channel(responder: responder), tlsConfiguration: try tls.serverConfiguration())
        }
    }
}
