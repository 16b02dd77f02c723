import WSEApp
import Foundation
import NIOCore
import NIOSSL

/// The node the driver talks to, from `--node`: its HTTP base URL, where to open `/wse`, and, for an `https://`
/// node, the TLS its calls and sessions use.
struct DemoDriverEndpoint: Sendable {
    /// `http(s)://host:port`, without a trailing slash.
    let baseURL: String
    let host: String
    let port: Int
    /// For an `https://` node: trusts the system's roots and `--cacert`'s certificates (`wse demo --tls`'s CA).
    let tls: TLSConfiguration?
    /// The same, made once for the driver's WebSockets.
    let tlsContext: NIOSSLContext?

    /// Reads an `http(s)://host[:port]` URL; anything else is refused with what to give instead.
    /// - Parameter caFile: a PEM file of CA certificates to trust besides the system's, for an `https://` node.
    init(_ text: String, caFile: String? = nil) throws(DemoDriverError) {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.path.isEmpty, url.query == nil
        else {
            throw DemoDriverError("--node must be a node's base URL such as http://127.0.0.1:8080, not '\(text)'")
        }
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
        self.baseURL = "\(scheme)://\(host):\(port)"
        guard scheme == "https" else {
            if caFile != nil { throw DemoDriverError("--cacert goes with an https:// node (wse demo --tls)") }
            (tls, tlsContext) = (nil, nil)
            return
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        // Closing, the driver need not wait for the node's close_notify (RFC 8446, 6.1): Ctrl-C stops it at once.
        tls.shutdownTimeout = .milliseconds(100)
        do {
            if let caFile { tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))] }
            tlsContext = try NIOSSLContext(configuration: tls)
        } catch {
            throw DemoDriverError("--cacert \(caFile ?? ""): not a readable PEM file of CA certificates: \(error)")
        }
        self.tls = tls
    }

    /// The name the TLS handshake asks for: none for an IP address (the certificate's IP address is checked instead).
    var serverHostname: String? { (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil }
}
