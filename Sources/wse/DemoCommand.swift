import Demo
import ArgumentParser

/// `wse demo`: the whole system on one machine (`wse demo start`, the default), and the driver
/// that makes its contacts live (`wse demo drive`).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole demo on one machine, and make its contacts live.",
        discussion: """
            `wse demo` (short for `wse demo start`; its options: `wse demo start --help`) starts the \
            node, identity proxy, connectors and demo services on http://127.0.0.1:8080 and prints \
            every URL. Open the Enhanced Address Book it prints and log in as alice (password "demo"). \
            `wse demo --tls` serves it all over https:// and wss:// with a certificate authority it makes \
            at start, and prints the CA file to trust (`curl --cacert FILE`).

            Then, in another terminal, `wse demo drive` signs in as bob and carol and keeps changing \
            their presence and walking their phones through Paris, so that alice's cards change as you watch.
            """,
        subcommands: [DemoStartCommand.self, DemoDriveCommand.self],
        defaultSubcommand: DemoStartCommand.self
    )
}
