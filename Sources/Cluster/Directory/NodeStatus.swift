/// One node of the cluster as `GET /admin/v1/nodes` lists it.
public struct NodeStatus: Sendable, Equatable, Codable {
    public var id: String
    public var url: String
    /// The node's operating-system process id.
    public var pid: Int
    /// Sessions it holds (attached or waiting for a resume), as of its last heartbeat.
    public var sessions: Int
    /// Its heartbeat is at most `NodeLiveness.window` old.
    public var alive: Bool

    public init(id: String, url: String, pid: Int, sessions: Int, alive: Bool) {
        self.id = id
        self.url = url
        self.pid = pid
        self.sessions = sessions
        self.alive = alive
    }
}
