import AsyncHTTPClient
import ConnectorKit
import LocalServers
import WSELifecycle

/// `wse demo --tls`: a certificate authority made at start, in the demo's temporary folder, and what every
/// listener and client of the demo takes from it. The node, the REST, SOAP and IMS connectors and the retailer's
/// site serve HTTPS (and WSS) with its server certificate; the node's connector OUT client, the connectors'
/// connector IN callbacks and the location service's notifications trust its CA, and so can `curl --cacert`.
struct DemoTLS: Sendable {
    let authority: LoopbackCertificateAuthority
    /// The listeners' certificate and key.
    let listener: ListenerTLS
    /// The CA, for the demo's own clients.
    let trusted: TrustedCA

    /// Makes the CA and the server certificate in `folder`.
    init(folder: String) throws {
        authority = try LoopbackCertificateAuthority(folder: folder)
        listener = ListenerTLS(certificate: authority.certificateFile, key: authority.keyFile)
        trusted = try TrustedCA(file: authority.caFile)
    }

    /// An HTTP client that trusts the demo's CA, and the hook that shuts it down when the deployment stops.
    func makeHTTPClient() -> (client: HTTPClient, shutdown: ShutdownHook) {
        let client = UpstreamExchange.makeHTTPClient(trusting: trusted)
        return (client, ShutdownHook { try? await client.shutdown() })
    }
}
