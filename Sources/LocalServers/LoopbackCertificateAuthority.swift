import Crypto
import Foundation
import SwiftASN1
import X509

/// A throw-away certificate authority for listeners on this machine (`wse demo --tls`, the TLS tests): a fresh
/// CA (P-256) and one server certificate it signs for `localhost`, `127.0.0.1` and `::1`, written as PEM files
/// into `folder`. A client that trusts `caFile` (`curl --cacert`) trusts the server certificate, and no other
/// machine's client does: the CA's key is never written, and it signs nothing else.
public struct LoopbackCertificateAuthority: Sendable {
    /// The CA certificate, for clients to trust.
    public let caFile: String
    /// The server certificate (followed by the CA's, the chain a server sends) and its key.
    public let certificateFile: String
    public let keyFile: String
    /// The base64 SHA-256 of the server certificate's public key (its SPKI), the pin Chromium's
    /// `--ignore-certificate-errors-spki-list` takes.
    public let serverKeyPin: String

    /// Makes the CA and the server certificate, valid from an hour ago (clocks differ a little) for `days` days.
    public init(folder: String, days: Int = 30) throws(LocalServerError) {
        caFile = folder + "/ca.pem"
        certificateFile = folder + "/server.pem"
        keyFile = folder + "/server-key.pem"
        let caKey = P256.Signing.PrivateKey(), serverKey = P256.Signing.PrivateKey()
        let start = Date().addingTimeInterval(-3600), end = Date().addingTimeInterval(Double(days) * 86400)
        do {
            let caName = try DistinguishedName { CommonName("WSE demo CA (this machine only)") }
            let caPublicKey = Certificate.PublicKey(caKey.publicKey)
            let ca = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: caPublicKey, notValidBefore: start, notValidAfter: end,
                issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: caPublicKey)
                },
                issuerPrivateKey: .init(caKey))
            let server = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey), notValidBefore: start, notValidAfter: end,
                issuer: caName, subject: try DistinguishedName { CommonName("localhost") }, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames([
                        .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                        .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
                    ])
                    AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: caPublicKey).keyIdentifier)
                },
                issuerPrivateKey: .init(caKey))
            let caPEM = try ca.serializeAsPEM().pemString + "\n"
            try Self.write(caPEM, to: caFile, private: false)
            try Self.write(try server.serializeAsPEM().pemString + "\n" + caPEM, to: certificateFile, private: false)
            try Self.write(serverKey.pemRepresentation + "\n", to: keyFile, private: true)
        } catch let error as LocalServerError {
            throw error
        } catch {
            throw LocalServerError("cannot make the loopback certificate authority in \(folder): \(error)")
        }
        serverKeyPin = Data(SHA256.hash(data: serverKey.publicKey.derRepresentation)).base64EncodedString()
    }

    /// Writes `text`; a private key is readable by its owner only.
    private static func write(_ text: String, to path: String, private: Bool) throws(LocalServerError) {
        let attributes: [FileAttributeKey: Any]? = `private` ? [.posixPermissions: 0o600] : nil
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: attributes) else {
            throw LocalServerError("cannot write \(path)")
        }
    }
}
