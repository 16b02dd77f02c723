import WSEApp
import Foundation
import WSECore

/// The configuration file of one node of ``ClusterDemo``: what `wse serve --config` reads (JSON, which the
/// YAML reader takes too). Only the keys the demo sets; the node's defaults do the rest.
struct ClusterNodeFile: Encodable {
    struct Node: Encodable {
        /// `node1`, `node2`…: the names `GET /admin/v1/nodes` and the demo's banner show.
        var id: String
        var host = "127.0.0.1"
        var port: Int
        /// nginx: connectors call back through it, so they never need to know which node holds a process.
        var publicURL: String
        var database: String
        /// Every connection comes from nginx.
        var maxConnectionsPerAddress = 0
    }

    struct Identity: Encodable {
        /// nginx's X-Forwarded-For names the client whose logins are throttled.
        var trustedProxies = ["127.0.0.1"]
    }

    struct Sessions: Encodable {
        /// `shared` keeps events in PostgreSQL, so that a node can be killed and its sessions resume on another.
        var store: String
        /// `wse demo --max-sessions-per-user` (0: no bound).
        var maxPerUser: Int
        var retailers: [Retailer]
    }

    struct Retailer: Encodable {
        var id: String
        var origins: [String]
    }

    struct Admin: Encodable {
        var token: String
    }

    var node: Node
    var identity = Identity()
    var sessions: Sessions
    var admin: Admin
    var services: [ServiceDefinition]

    /// Writes the file readable by its owner only: it holds the admin token and the connector keys.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw NodeStartupError("cannot write the node configuration \(path)")
        }
    }
}
