import Cluster
import ConnectionManager
import Foundation
import Logging
import Mediator
import Metrics
import Storage
import WSECore

extension WSENode {
    /// This node's id: `node.id`, or the default of docs/CLUSTER.md.
    static func nodeID(_ configuration: NodeConfiguration) -> String {
        configuration.node.id ?? ClusterConfiguration.defaultNodeID(port: configuration.node.port)
    }

    /// The node's part in a cluster when `node.database` is PostgreSQL; nil for SQLite (a node on its own).
    static func makeCluster(_ configuration: NodeConfiguration, logger: Logger) -> ClusterNode? {
        guard PostgresURL.isPostgres(configuration.node.database), let url = try? PostgresURL(configuration.node.database) else { return nil }
        let database = ClusterDatabase(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database)
        return ClusterNode(
            configuration: ClusterConfiguration(
                nodeID: nodeID(configuration), url: configuration.node.baseURL, database: database,
                sharedSessions: configuration.sessions.store == .shared, resumeWindow: .seconds(configuration.sessions.resumeWindow)),
            logger: logger)
    }

    /// The connector IN URL connectors are given as `callback`: the public URL, with the node's routing hint in a
    /// cluster (the load balancer sends the process's pushes to this node first; docs/CLUSTER.md).
    static func callbackURL(_ configuration: NodeConfiguration, cluster: ClusterNode?) -> String {
        let connectorIn = configuration.node.baseURL + "/connector/in/v1/events"
        return cluster.map { RoutingHint.callback(connectorIn, node: $0.id) } ?? connectorIn
    }

    /// Connector IN of a cluster node: the mediator first, pushes for processes and users elsewhere routed to their
    /// nodes; each per-pid push forwarded is counted (`wse_cluster_forwarded_pushes_total`).
    static func clusterInbound(_ mediator: Mediator, cluster: ClusterNode, metricsFactory: any MetricsFactory) -> ClusterInbound {
        let forwarded = Counter(label: "wse_cluster_forwarded_pushes_total", factory: metricsFactory)
        return ClusterInbound(wrapping: mediator, node: cluster, onForward: { forwarded.increment() })
    }

    /// What this node does for the other nodes: their pushes reach its mediator, a session another node takes
    /// over leaves it (events committed first), and sessions moved here bring their processes.
    static func bind(_ cluster: ClusterNode, connections: ConnectionManager, mediator: Mediator) {
        let journal = cluster.journal
        var local = ClusterNode.Local()
        local.inbound = mediator
        local.letGo = { session in
            if connections.letGo(of: session) { await mediator.letGo(ofSession: session) }
            _ = await journal?.committed()
        }
        local.adopt = { session, processes in await mediator.adopt(session: session, processes: processes) }
        local.sessionCount = { connections.sessionCount }
        cluster.bind(local)
    }

    /// `GET /admin/v1/nodes`: the cluster's node list, or this node alone.
    static func nodeList(_ configuration: NodeConfiguration, cluster: ClusterNode?, sessionCount: @escaping @Sendable () -> Int)
        -> @Sendable () async throws -> [NodeStatus]
    {
        if let cluster { return { try await cluster.nodes() } }
        let id = nodeID(configuration)
        let url = configuration.node.baseURL
        return {
            [NodeStatus(id: id, url: url, pid: Int(ProcessInfo.processInfo.processIdentifier), sessions: sessionCount(), alive: true)]
        }
    }
}
