import WSECore

/// Where the process directory says a process runs: the node, whether it is alive, and the process's session.
struct ProcessOwner: Sendable, Equatable {
    var node: String
    var alive: Bool
    var session: SessionID?
}
