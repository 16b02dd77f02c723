/// Port: the cluster's shared list of sessions (session → user, node), through which a user push reaches
/// the user's sessions on every node. Implemented by the Cluster target; nil on a node that runs alone.
/// Neither change blocks: the changes are written in batches.
public protocol SessionDirectory: Sendable {
    func sessionOpened(_ session: SessionContext)
    func sessionEnded(_ session: SessionID)
    /// Returns once every change made before the call is written (or could not be): a session opened before is
    /// found by a user push from any node. The connection manager awaits it before a new session's `welcome`.
    func written() async
}
