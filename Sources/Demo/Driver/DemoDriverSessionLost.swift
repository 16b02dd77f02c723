/// A driven contact's connection ended while the driver still needed it.
struct DemoDriverSessionLost: Error, Sendable, CustomStringConvertible {
    let user: String
    /// The node's close code (PROTOCOL.md), nil when the connection dropped without one.
    let closeCode: UInt16?

    var description: String {
        switch closeCode {
        case 4401?: "\(user)'s session was closed: the token was refused or has expired (4401)"
        case 4403?: "\(user)'s session was refused: the node does not admit the driver's origin (4403); give an origin it admits with --origin, or start the node with --allow-origin"
        case 4408?: "\(user)'s session was closed as idle or silent (4408)"
        case 1001?: "\(user)'s session was closed: the node is going away (1001)"
        case let code?: "\(user)'s session was closed with code \(code)"
        case nil: "\(user)'s connection to the node dropped"
        }
    }
}
