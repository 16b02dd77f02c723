/// Why the demo driver stopped, said so that the user knows what to do next.
public struct DemoDriverError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func nodeNotAnswering(_ nodeURL: String, _ detail: String) -> DemoDriverError {
        DemoDriverError("""
            no WSE node answers at \(nodeURL) (\(detail)).
            Start `wse demo` first (in another terminal), wait for "WSE demo is ready.", then run the driver again;
            if the demo runs elsewhere, give its URL with --node.
            """)
    }
}
