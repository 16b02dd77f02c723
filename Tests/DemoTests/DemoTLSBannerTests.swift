import Testing
@testable import Demo

/// What `wse demo --tls` tells the newcomer: the CA to trust, the key pin for Chromium, and a driver command that
/// trusts the CA; the plain demo's driver command is unchanged.
@Suite struct DemoTLSBannerTests {
    static let plain = DemoDeploymentAddresses(
        nodeURL: "http://127.0.0.1:8080", connectorURL: "", servicesURL: "", retailerURL: "", adminToken: "adm_x")
    static let tls = DemoDeploymentAddresses(
        nodeURL: "https://127.0.0.1:9443", connectorURL: "", servicesURL: "", retailerURL: "", adminToken: "adm_x",
        caFile: "/tmp/wse-demo-1/ca.pem", serverKeyPin: "PIN=")

    @Test func theTLSLinesSayWhereTheCAIsAndHowToTrustIt() {
        #expect(DemoRunner.tlsLines(caFile: "/tmp/wse-demo-1/ca.pem", Self.tls) == """
              CA certificate           /tmp/wse-demo-1/ca.pem   (made at start; trust it: curl --cacert /tmp/wse-demo-1/ca.pem https://127.0.0.1:9443/healthz)
              server key pin           PIN=   (Chromium: --ignore-certificate-errors-spki-list=PIN=)

            """)
    }

    @Test func theDriverCommandTrustsTheCAOnlyWithTLS() {
        #expect(DemoRunner.driveCommand(Self.plain) == "wse demo drive")
        #expect(DemoRunner.driveCommand(Self.tls) == "wse demo drive --node https://127.0.0.1:9443 --cacert /tmp/wse-demo-1/ca.pem")
    }
}
