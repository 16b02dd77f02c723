import ConfigFile
import Yams

/// The TLS settings the REST and SOAP connectors read the same way (docs/SECURITY.md, TLS).
extension YAMLReader {
    /// `tls: {certificate, key}`, both PEM files that must make a server context now; nil when absent.
    package func listenerTLS(_ members: [(key: String, value: Node)]) throws(ConfigFileError) -> ListenerTLS? {
        guard let node = member("tls", of: members) else { return nil }
        let tlsMembers = try mapping(node, "tls", allowed: ["certificate", "key"])
        let tls = ListenerTLS(
            certificate: try string(try required("certificate", of: tlsMembers, in: node, "tls"), "tls.certificate"),
            key: try string(try required("key", of: tlsMembers, in: node, "tls"), "tls.key"))
        do {
            _ = try tls.serverConfiguration()
        } catch {
            throw self.error(at: node, "tls: the certificate \(tls.certificate) and key \(tls.key) cannot be used: \(error)")
        }
        return tls
    }

    /// `ca_file`: a PEM file of the certificates to trust besides the system's; nil when absent.
    package func trustedCA(_ members: [(key: String, value: Node)]) throws(ConfigFileError) -> TrustedCA? {
        guard let node = member("ca_file", of: members) else { return nil }
        let file = try string(node, "ca_file")
        do {
            return try TrustedCA(file: file)
        } catch {
            throw self.error(at: node, "ca_file: \(file) is not a readable PEM file of certificates: \(error)")
        }
    }
}
