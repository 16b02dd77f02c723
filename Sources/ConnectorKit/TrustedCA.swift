import NIOSSL

/// The certificates a connector trusts, besides the system's, for the https URLs it calls (connector IN
/// callbacks, upstream services): the `ca_file` (`caFile`) of its configuration, a PEM file read once.
public struct TrustedCA: Sendable {
    public let file: String
    let certificates: [NIOSSLCertificate]

    /// Reads the certificates of `file`; fails with the reason when it is not a PEM file of certificates.
    public init(file: String) throws {
        self.file = file
        certificates = try NIOSSLCertificate.fromPEMFile(file)
    }

    /// A client TLS configuration that trusts the system's roots and these certificates.
    package var clientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.additionalTrustRoots = [.certificates(certificates)]
        return configuration
    }
}
