import Demo
import Foundation
import ArgumentParser
import Logging
import WSEApp

/// `wse demo start` (what `wse demo` runs): the whole system on one machine, nothing else to install.
struct DemoStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run the whole demo on one machine: node, identity proxy, connectors, demo services (the default of `wse demo`).",
        discussion: """
            Starts a WSE node on http://127.0.0.1:8080 on embedded SQLite, with the REST connector \
            and the demo Web services (contacts, OneAPI-style location), seeds the subscribers \
            alice, bob and carol (password "demo"), and prints every URL and the admin token. \
            Try it from a shell:

              curl -s -X POST localhost:8080/idp/token -d '{"username":"alice","password":"demo"}'

            Then make the contacts live with `wse demo drive` in another terminal.

            The IMS connector registers alice, bob and carol, as sip:alice@wse.demo etc., with an \
            embedded presence server (registrar, presence, MESSAGE relay). To use a real SIP/IMS core \
            instead, such as Kamailio, name it and give the users' SIP passwords in a file, one \
            user:password line each (a file, because `ps` shows command lines):

              umask 077; printf 'alice:pw-a\\nbob:pw-b\\ncarol:pw-c\\n' > sip-users
              scripts/infra/kamailio/kamailio.sh start /tmp/kam 25060 25061 @sip-users
              wse demo --sip-server udp:127.0.0.1:25060 --sip-domain 127.0.0.1 \\
                       --sip-users sip-users

            The users are then sip:alice@DOMAIN etc.: DOMAIN must be the domain the core has them in \
            (kamailio.sh provisions 127.0.0.1; the default of --sip-domain is the core's IP address).

            With --cluster N the same demo runs on N node processes (`wse serve`) that share a real \
            PostgreSQL, behind nginx on the demo's port (Debian packages postgresql and nginx; the demo \
            says so when they are missing). Kill one node with `kill -9 PID` (the PIDs are printed): \
            its clients reconnect through nginx to another node and resume. See docs/CLUSTER.md.

              wse demo --cluster 3

            With --tls everything is served over TLS: https:// and wss:// on the demo's port, and the \
            connectors and the retailer's site on https://. At start the demo makes a certificate \
            authority of its own and a certificate for localhost and 127.0.0.1 in its temporary folder, \
            and prints where the CA file is, for clients to trust it, and the pin of the certificate's \
            key for Chromium (the CA is good for this machine only):

              wse demo --tls
              curl --cacert /tmp/wse-demo-…/ca.pem https://127.0.0.1:8080/healthz
              wse demo drive --node https://127.0.0.1:8080 --cacert /tmp/wse-demo-…/ca.pem
            """
    )

    @Option(help: "The node's port.")
    var port: Int = 8080

    @Option(help: "The SQLite file to use (default: a fresh one in the temporary folder).")
    var database: String?

    @Option(name: .customLong("allow-origin"), help: "Also admit pages from this origin (repeatable), e.g. http://127.0.0.1:9000.")
    var origins: [String] = []

    @Option(help: ArgumentHelp("Sessions one user may hold at once (the node's sessions.maxPerUser; 0: no bound).", valueName: "N"))
    var maxSessionsPerUser: Int = NodeConfiguration.Sessions().maxPerUser

    @Option(help: ArgumentHelp("Run N node processes behind nginx, sharing a PostgreSQL, instead of one node on SQLite.", valueName: "N"))
    var cluster: Int?

    @Option(name: .customLong("session-store"), help: ArgumentHelp("With --cluster: the nodes' sessions.store, shared (default) or memory (for benchmarks).", valueName: "store"))
    var sessionStore = "shared"

    @Flag(help: "Serve HTTPS and WSS, with a certificate authority made at start (its CA file is printed).")
    var tls = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .notice

    @Option(help: ArgumentHelp("Use this SIP/IMS core instead of the embedded presence server.", valueName: "udp|tcp:IP:PORT"))
    var sipServer: String?

    @Option(help: "The domain of the users' SIP addresses at --sip-server (default: its IP address).")
    var sipDomain: String?

    @Option(help: ArgumentHelp("The file of user:password lines (alice, bob, carol) for --sip-server.", valueName: "file"))
    var sipUsers: String?

    /// This program, for the cluster's node processes.
    static func executablePath() -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    func validate() throws {
        if let cluster, !(1...16).contains(cluster) {
            throw ValidationError("--cluster takes a number of nodes from 1 to 16, not \(cluster)")
        }
        if !["shared", "memory"].contains(sessionStore) {
            throw ValidationError("--session-store is shared or memory, not \(sessionStore)")
        }
        if cluster != nil && database != nil {
            throw ValidationError("--database names a SQLite file; with --cluster the nodes share the PostgreSQL the demo starts")
        }
        if cluster != nil && tls {
            throw ValidationError("--tls runs the one-node demo over TLS; with --cluster, nginx serves plain HTTP")
        }
        if sipServer == nil && (sipDomain != nil || sipUsers != nil) {
            throw ValidationError("--sip-domain and --sip-users go with --sip-server")
        }
        if sipServer != nil && sipUsers == nil {
            throw ValidationError("--sip-server needs --sip-users FILE: the users' SIP passwords, one user:password line each")
        }
    }

    func run() async throws {
        var options = DemoOptions()
        options.port = port
        options.database = database
        options.extraOrigins = origins
        options.logLevel = logLevel
        options.maxSessionsPerUser = maxSessionsPerUser
        options.clusterSessionStore = sessionStore
        options.tls = tls
        if let sipServer, let sipUsers {
            options.sipCore = try DemoSIPCore(server: sipServer, domain: sipDomain, usersFile: sipUsers, users: DemoDeployment.users)
        }
        if let cluster {
            try await ClusterDemo.run(options, nodes: cluster, executable: Self.executablePath())
        } else {
            try await DemoRunner.run(options)
        }
    }
}
