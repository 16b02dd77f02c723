import Demo
import ArgumentParser
import WSEApp

/// `wse demo drive`: bob and carol come alive in a running demo (see `DemoDriver`).
struct DemoDriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drive",
        abstract: "Make the demo's contacts live: bob and carol change presence and walk through Paris.",
        discussion: """
            Run it next to a running `wse demo` (another terminal), with the Enhanced Address Book \
            open and signed in as alice: her cards for bob and carol change as the driver goes.

            The driver uses the node's public protocol, as a page would: it signs in as bob and \
            carol (POST /idp/token, password "demo"), opens a /wse session for each and registers \
            them on the `sip` service. Then, every few seconds, each of them walks one step along \
            a route (`location move`, about 150 m) and, now and then, one changes presence \
            (`sip publish`, e.g. closed "in a meeting"). It prints one line per change. Locations \
            reach alice at her book's interval (10 s on the EAB page), presence at once.

            Ctrl-C stops it cleanly: the phones go back to the location service's own simulation \
            (`location release`), bob and carol are unregistered and their sessions closed.

            Examples:
              wse demo drive
              wse demo drive --every 1 --seed 42        (faster; the same scene every time)
              wse demo drive --node http://127.0.0.1:9090 --rounds 20
              wse demo drive --node https://127.0.0.1:8080 --cacert /tmp/wse-demo-…/ca.pem   (wse demo --tls)
            """
    )

    @Option(help: ArgumentHelp("The running demo node.", valueName: "url"))
    var node = "http://127.0.0.1:8080"

    @Option(name: .customLong("cacert"), help: ArgumentHelp(
        "For an https:// node: also trust the CA certificates of this PEM file (the one `wse demo --tls` prints).", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("Seconds between two rounds of changes (each pause varies by ±30 %).", valueName: "seconds"))
    var every: Double = 3

    @Option(help: "Seeds the random choices: the same seed replays the same scene (default: a new one, printed).")
    var seed: UInt64?

    @Option(help: "Stop after this many rounds (default: until Ctrl-C).")
    var rounds: Int?

    @Option(help: ArgumentHelp("The page origin the sessions declare (default: the node's own URL, which the demo admits).", valueName: "origin"))
    var origin: String?

    func run() async throws {
        var options = DemoDriverOptions()
        options.nodeURL = node
        options.caFile = caFile
        options.every = every
        options.rounds = rounds
        options.origin = origin
        if let seed { options.seed = seed }
        try await DemoDriverRunner.run(options)
    }
}
