/// What the driver tells its user, one line each: a change it made, or how the run goes.
public enum DemoDriverEvent: Sendable, CustomStringConvertible {
    case change(DemoDriverChange)
    /// Signing in, registering, reconnecting, cleaning up.
    case status(String)

    public var description: String {
        switch self {
        case .change(let change): change.description
        case .status(let text): text
        }
    }
}
