/// The routing hint of a cluster node's connector callback (docs/CLUSTER.md, "Routing connector IN").
///
/// The callback URL WSE gives a connector for a process stays the cluster's public URL, with the query parameter
/// `node` naming the node that started the process: the load balancer sends the process's pushes to that node
/// first, so they are delivered there without being forwarded. Connectors treat the callback as opaque; nodes
/// ignore the parameter: a stale hint (the node dead, or the process moved) only costs a forward.
public enum RoutingHint {
    /// The query parameter that carries the node id (node ids are URL-safe: letters, digits, `_`, `.`, `-`).
    public static let parameter = "node"

    /// `connectorIn` (the public URL of connector IN) with `node`'s hint.
    public static func callback(_ connectorIn: String, node: String) -> String {
        connectorIn + (connectorIn.contains("?") ? "&" : "?") + parameter + "=" + node
    }
}
