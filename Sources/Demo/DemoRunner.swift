import WSEApp
import Logging

/// `wse demo`: runs the ``DemoDeployment`` until Ctrl-C, with progress and a banner for the newcomer.
public enum DemoRunner {
    public static func run(_ options: DemoOptions) async throws {
        let metrics = NodeRunner.bootstrapObservability(logLevel: options.logLevel)
        let logger = Logger(label: "wse.demo")
        say("==> starting the WSE demo")
        let deployment = try await DemoDeployment.make(
            options, metrics: metrics, logger: logger, progress: { say("==> \($0)") }, onReady: { printBanner($0) })
        try await NodeRunner.run(deployment.services, logger: logger)
    }

    static func printBanner(_ at: DemoDeploymentAddresses) {
        let ws = "ws" + at.nodeURL.dropFirst("http".count)
        say("""

            WSE demo is ready.
              Enhanced Address Book    \(at.retailerURL)/   (the retailer's page: log in as alice)
              admin page               \(at.nodeURL)/admin/
              node (HTTP + WebSocket)  \(at.nodeURL)   WebSocket: \(ws)/wse
              identity proxy           \(at.nodeURL)/idp/token   (POST {"username","password"})
              browser library          \(at.nodeURL)/js/wse.js
              metrics                  \(at.nodeURL)/metrics
              REST connector           \(at.connectorURL)
              demo Web services        \(at.servicesURL)/contacts/v1  /location/v1
              logins                   \(DemoDeployment.users.joined(separator: ", ")) — password "\(DemoDeployment.password)" (demo only)
              admin token              \(at.adminToken)   (Authorization: Bearer …, for /admin/v1, /orchestrator/v1 and /metrics)
            \(at.caFile.map { tlsLines(caFile: $0, at) } ?? "")Make it live: log in as alice on the Enhanced Address Book, then in another terminal run
              \(driveCommand(at))   (or `swift run wse demo drive…` from the sources)
            and watch bob and carol change presence and walk through Paris.
            Press Ctrl-C to stop.
            """)
    }

    /// `--tls`: where the CA is and how clients come to trust it (the lines end with a line break).
    static func tlsLines(caFile: String, _ at: DemoDeploymentAddresses) -> String {
        let pin = at.serverKeyPin ?? ""
        return """
              CA certificate           \(caFile)   (made at start; trust it: curl --cacert \(caFile) \(at.nodeURL)/healthz)
              server key pin           \(pin)   (Chromium: --ignore-certificate-errors-spki-list=\(pin))

            """
    }

    /// The driver's command line for this demo: `--node` only when the node is not at the default URL, `--cacert`
    /// with `--tls`.
    static func driveCommand(_ at: DemoDeploymentAddresses) -> String {
        let node = at.nodeURL == DemoDriverOptions().nodeURL ? "wse demo drive" : "wse demo drive --node \(at.nodeURL)"
        return node + (at.caFile.map { " --cacert \($0)" } ?? "")
    }
}
