import PostgresNIO

/// A node's presence: a session-level advisory lock that the node holds on a connection of its own for as long as
/// its process lives. PostgreSQL releases it the moment that connection ends, so a node killed with `kill -9`
/// is known dead at once, where its heartbeat stays fresh for up to `NodeLiveness.window`.
extension ClusterDirectory {
    /// The advisory locks' first key ("WSEn"); the second is the node id's hash. A node whose hash collides with a
    /// live node's merely looks present, and is asked over the bus as before.
    static let presenceLockSpace: Int32 = 0x5753_456E

    /// Takes this node's presence lock on `connection`; false while another process holds it (one with the same
    /// `node.id`, or its previous process whose connection PostgreSQL has not closed yet).
    func takePresence(on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT pg_try_advisory_lock(\(Self.presenceLockSpace), hashtext(\(node)))", logger: logger)
        for try await taken in rows.decode(Bool.self) { return taken }
        return false
    }

    /// Whether the process of `other` holds its presence lock. A shared lock taken for the statement's
    /// transaction only: it is granted exactly when no node holds the lock, and takers do not block each other.
    func isPresent(_ other: String) async throws -> Bool {
        let rows = try await client.query(
            "SELECT NOT pg_try_advisory_xact_lock_shared(\(Self.presenceLockSpace), hashtext(\(other)))", logger: logger)
        for try await present in rows.decode(Bool.self) { return present }
        return false
    }

    /// SQL: whether the node of row `n` of `cluster_node` is live, the liveness of a take-over: its heartbeat is fresh
    /// and its process holds its presence. Routing by it answers a push for a node killed a moment ago at once,
    /// instead of asking it over the bus until the deadline. The lock is tried only for a fresh heartbeat.
    static let nodeIsLive = """
        CASE WHEN n.heartbeat_at > now() - make_interval(secs => \(NodeLiveness.seconds))
        THEN NOT pg_try_advisory_xact_lock_shared(\(presenceLockSpace), hashtext(n.id)) ELSE false END
        """
}
