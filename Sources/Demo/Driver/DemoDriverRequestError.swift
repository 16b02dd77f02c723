/// The node refused one of the driver's requests with a PROTOCOL.md error.
struct DemoDriverRequestError: Error, Sendable, CustomStringConvertible {
    let user: String
    let service: String
    let action: String
    /// `bad_request`, `unknown_service`, `forbidden`, `unavailable`, `timeout`, `overloaded`…
    let code: String
    let message: String

    /// The node may well make the same request a moment later (PROTOCOL.md's load and time-out codes).
    var isTransient: Bool { ["unavailable", "timeout", "overloaded", "rate_limited"].contains(code) }

    var description: String {
        var text = "\(service) \(action) as \(user) was refused: \(code): \(message)"
        if code == "unknown_service" {
            text += " (the driver needs the demo's services contacts, location and sip: is --node a `wse demo` node?)"
        }
        return text
    }
}
