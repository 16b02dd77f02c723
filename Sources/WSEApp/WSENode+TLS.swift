import ConnectionManager
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

extension WSENode {
    /// The node's TLS, when `node.tls` names a certificate and key; failures stop the start with the reason.
    static func loadTLS(_ configuration: NodeConfiguration.Node.TLS?) throws(NodeStartupError) -> NodeTLS? {
        guard let configuration else { return nil }
        do {
            return try NodeTLS(certificatePath: configuration.certificate, keyPath: configuration.key)
        } catch {
            throw NodeStartupError(
                "node.tls: the certificate \(configuration.certificate) and key \(configuration.key) cannot be used: \(error)")
        }
    }

    /// The certificates of `connectorOut.caFile`, trusted for connectors at https endpoints; none when it is not set.
    static func loadConnectorTrust(_ configuration: NodeConfiguration.ConnectorOut) throws(NodeStartupError) -> [NIOSSLCertificate] {
        guard let file = configuration.caFile else { return [] }
        do {
            return try NIOSSLCertificate.fromPEMFile(file)
        } catch {
            throw NodeStartupError("connectorOut.caFile: \(file) is not a readable PEM file of certificates: \(error)")
        }
    }

    /// The node's one listener: HTTP and WebSocket, behind TLS when it is on.
    static func httpServer(_ connections: ConnectionManager, tls: NodeTLS?) -> HTTPServerBuilder {
        guard let tls else { return connections.httpServer() }
        return connections.httpServer(prepare: { channel in try tls.addHandler(to: channel) })
    }
}
