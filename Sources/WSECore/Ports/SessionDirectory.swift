/// Port: the cluster's shared list of sessions (session → user, node), through which a user push reaches
/// the user's sessions on every node. Implemented by the Cluster target; nil on a node that runs alone.
/// Neither call blocks: the changes are written in batches.
public protocol SessionDirectory: Sendable {
    func sessionOpened(_ session: SessionContext)
    func sessionEnded(_ session: SessionID)
}
