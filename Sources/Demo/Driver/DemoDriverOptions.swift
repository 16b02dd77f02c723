/// How `wse demo drive` runs: which node to drive, how fast, and with which random choices.
public struct DemoDriverOptions: Sendable {
    /// The node's base URL (`http://host:port`, or `https://` for `wse demo --tls`), where `wse demo` serves.
    public var nodeURL = "http://127.0.0.1:8080"
    /// For an `https://` node: a PEM file of CA certificates to trust besides the system's (`--cacert`).
    public var caFile: String?
    /// The page origin the driver's sessions declare; nil: the node's own URL, which the demo admits.
    public var origin: String?
    /// The demo password of the driven contacts.
    public var password = DemoDeployment.password
    /// Seconds between two rounds of changes (each pause varies by ±30 %).
    public var every: Double = 3
    /// Seeds the random choices (notes, pauses, who changes): the same seed replays the same scene.
    public var seed: UInt64 = .random(in: 0...999_999)
    /// Stop after this many rounds; nil: run until stopped (Ctrl-C).
    public var rounds: Int?

    public init() {}
}
