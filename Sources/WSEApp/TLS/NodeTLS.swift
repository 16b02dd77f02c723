import Logging
import NIOCore
import NIOSSL
import Synchronization

/// The node's TLS certificate and key (`node.tls`), loaded into the SSL context every new connection uses.
/// ``reload()`` (on SIGHUP, `TLSReloadService`) reads the files again: connections accepted afterwards use the new
/// certificate, open ones keep theirs. A reload that fails keeps the current context.
public final class NodeTLS: Sendable {
    public let certificatePath: String
    public let keyPath: String
    private let context: Mutex<NIOSSLContext>

    /// Loads the PEM files; fails, with the reason, when either cannot be read or they do not make a context.
    public init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        context = Mutex(try Self.load(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// The context for a connection being accepted now.
    var current: NIOSSLContext { context.withLock { $0 } }

    /// Reads the certificate and key files again (after the operator renewed them).
    public func reload() throws {
        let fresh = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
        context.withLock { $0 = fresh }
    }

    /// Puts TLS in front of a new connection's pipeline (the connection manager's `prepare` hook).
    func addHandler(to channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: current))
    }

    private static func load(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        // A closing server need not wait for the client's close_notify (RFC 8446, 6.1): waiting the default 5 s for
        // clients that have stopped reading held every graceful shutdown up.
        configuration.shutdownTimeout = .milliseconds(100)
        return try NIOSSLContext(configuration: configuration)
    }
}
