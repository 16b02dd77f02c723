import Foundation
import WSECore

/// Where the cluster's PostgreSQL is: the same database as the node's store (`node.database`).
public struct ClusterDatabase: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int, username: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }
}

/// Settings of one node's part in a cluster (docs/CLUSTER.md).
public struct ClusterConfiguration: Sendable {
    /// This node's id: letters, digits, `_`, `.` and `-`, at most ``maxNodeIDLength`` characters.
    public var nodeID: String
    /// The node's base URL, as `GET /admin/v1/nodes` lists it.
    public var url: String
    public var database: ClusterDatabase
    /// `sessions.store: shared`: events are committed to PostgreSQL before connector IN answers, and a session
    /// can resume on another node.
    public var sharedSessions: Bool
    /// How long a session waits for its client (`sessions.resumeWindow`): the sessions of a dead node are
    /// swept this long after it stopped beating.
    public var resumeWindow: Duration
    /// How long a node waits for another's answer on the bus.
    public var requestTimeout: Duration = .seconds(2)
    public var heartbeatInterval: Duration = .seconds(1)
    public var sweepInterval: Duration = .seconds(10)
    /// The clock of the bus's deadlines, heartbeats and sweeps (tests pass a manual clock).
    public var clock: any Clock<Duration> = ContinuousClock()

    public static let maxNodeIDLength = 48

    public init(nodeID: String, url: String, database: ClusterDatabase, sharedSessions: Bool, resumeWindow: Duration) {
        self.nodeID = nodeID
        self.url = url
        self.database = database
        self.sharedSessions = sharedSessions
        self.resumeWindow = resumeWindow
    }

    /// Whether `id` can name a node (it becomes part of a PostgreSQL channel name).
    public static func isValidNodeID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= maxNodeIDLength
            && id.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "_.-".unicodeScalars.contains($0) }
    }

    /// The default node id: `<hostname>-<port>-<pid>`, or `<hostname>-<random>` when the port is chosen by the system
    /// (0), so that nodes of one process differ; cut to ``maxNodeIDLength`` characters.
    public static func defaultNodeID(port: Int) -> String {
        let name = ProcessInfo.processInfo.hostName
        let suffix = port == 0 ? RandomID.make(prefix: "", length: 8) : "\(port)-\(ProcessInfo.processInfo.processIdentifier)"
        let safeName = String(name.unicodeScalars.map { isValidNodeID(String($0)) ? Character($0) : "-" })
        return String((safeName.prefix(maxNodeIDLength - suffix.count - 1)) + "-" + suffix)
    }
}

/// When a node counts as alive: its heartbeat is at most this old. The one place this figure is set.
public enum NodeLiveness {
    public static let window: Duration = .seconds(3)

    static var seconds: Double { Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18 }
}
