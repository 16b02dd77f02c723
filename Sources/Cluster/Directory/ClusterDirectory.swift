import Logging
import PostgresNIO
import WSECore

/// The SQL of the cluster's shared tables (PostgreSQL migrations 3 and 5, docs/CLUSTER.md): the node list and its
/// heartbeats, the session and process directories, the shared session store, and their sweeping.
struct ClusterDirectory: Sendable {
    let node: String
    let client: PostgresClient
    let logger: Logger

    // MARK: Nodes

    func register(url: String, pid: Int, sessions: Int) async throws {
        _ = try await client.query(
            """
            INSERT INTO cluster_node (id, url, pid, sessions, started_at, heartbeat_at) VALUES (\(node), \(url), \(pid), \(sessions), now(), now())
            ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, pid = EXCLUDED.pid, sessions = EXCLUDED.sessions,
                started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at
            """, logger: logger
        ).collect()
    }

    func heartbeat(url: String, sessions: Int) async throws {
        _ = try await client.query(
            "UPDATE cluster_node SET heartbeat_at = now(), sessions = \(sessions), url = \(url) WHERE id = \(node)", logger: logger
        ).collect()
    }

    func nodes() async throws -> [NodeStatus] {
        let rows = try await client.query(
            """
            SELECT id, url, pid, sessions, heartbeat_at > now() - make_interval(secs => \(NodeLiveness.seconds))
            FROM cluster_node ORDER BY id COLLATE "C"
            """, logger: logger)
        var nodes: [NodeStatus] = []
        for try await (id, url, pid, sessions, alive) in rows.decode((String, String, Int, Int, Bool).self) {
            nodes.append(NodeStatus(id: id, url: url, pid: pid, sessions: sessions, alive: alive))
        }
        return nodes
    }

    // MARK: Routing

    /// The node that runs `pid` as the process directory has it (this one included), alive when it is not known dead
    /// (``nodeIsLive``); nil when no node does.
    func owner(of pid: ProcessID) async throws -> ProcessOwner? {
        let rows = try await client.query(
            """
            SELECT p.node, COALESCE(\(unescaped: Self.nodeIsLive), false), p.session
            FROM cluster_process p LEFT JOIN cluster_node n ON n.id = p.node WHERE p.pid = \(pid.rawValue)
            """, logger: logger)
        for try await (owner, alive, session) in rows.decode((String, Bool, String?).self) {
            return ProcessOwner(node: owner, alive: alive, session: session.map { SessionID($0) })
        }
        return nil
    }

    // MARK: Batched writes

    /// Applies a batch of directory changes: upserts first, then deletes (an entry opened and ended in one
    /// batch is gone after it).
    func apply(_ changes: [DirectoryChange]) async throws {
        var openedIDs: [String] = [], openedUsers: [String] = [], openedPrincipals: [String] = []
        var endedSessions: [String] = []
        var started: [DirectoryProcess] = []
        var endedProcesses: [String] = []
        for change in changes {
            switch change {
            case .sessionOpened(let id, let user, let principal):
                openedIDs.append(id.rawValue)
                openedUsers.append(user.rawValue)
                openedPrincipals.append(principal)
            case .sessionEnded(let id): endedSessions.append(id.rawValue)
            case .processStarted(let process): started.append(process)
            case .processEnded(let pid): endedProcesses.append(pid.rawValue)
            }
        }
        if !openedIDs.isEmpty {
            _ = try await client.query(
                """
                INSERT INTO cluster_session (id, username, node, principal)
                SELECT s.id, s.username, \(node), s.principal FROM unnest(\(openedIDs)::text[], \(openedUsers)::text[], \(openedPrincipals)::text[])
                    AS s(id, username, principal)
                ON CONFLICT (id) DO UPDATE SET node = EXCLUDED.node, principal = EXCLUDED.principal
                """, logger: logger
            ).collect()
        }
        if !started.isEmpty {
            _ = try await client.query(
                """
                INSERT INTO cluster_process (pid, node, session, username, service, serving, composed)
                SELECT p.pid, \(node), NULLIF(p.session, ''), p.username, p.service, p.serving, p.composed
                FROM unnest(\(started.map(\.pid.rawValue))::text[], \(started.map { $0.session?.rawValue ?? "" })::text[],
                            \(started.map(\.user.rawValue))::text[], \(started.map(\.requestedService.rawValue))::text[],
                            \(started.map(\.servingService.rawValue))::text[], \(started.map(\.composed))::boolean[])
                    AS p(pid, session, username, service, serving, composed)
                ON CONFLICT (pid) DO UPDATE SET node = EXCLUDED.node
                """, logger: logger
            ).collect()
        }
        if !endedProcesses.isEmpty {
            _ = try await client.query("DELETE FROM cluster_process WHERE pid = ANY(\(endedProcesses)::text[])", logger: logger).collect()
        }
        if !endedSessions.isEmpty {
            _ = try await client.query("DELETE FROM cluster_session WHERE id = ANY(\(endedSessions)::text[])", logger: logger).collect()
            _ = try await client.query("DELETE FROM session_event WHERE session = ANY(\(endedSessions)::text[])", logger: logger).collect()
            _ = try await client.query("DELETE FROM session_message WHERE session = ANY(\(endedSessions)::text[])", logger: logger).collect()
        }
    }

    /// Applies a batch of the shared session store: every event in one INSERT, then the acknowledged ones go
    /// (and the session's `last_seq` keeps the highest acknowledged, for a resume after every row is gone).
    /// Held messages (only sessions whose client is away have any) follow their order in the batch: those of a
    /// session replayed in it are never written, its earlier rows are deleted, then the ones held after go in.
    func apply(_ entries: [JournalEntry]) async throws {
        var sessions: [String] = [], seqs: [Int64] = [], texts: [String] = []
        var acknowledged: [SessionID: UInt64] = [:]
        var held: [(session: SessionID, message: HeldMessage)] = []
        var replayed: Set<SessionID> = []
        for entry in entries {
            switch entry {
            case .event(let session, let seq, let text):
                sessions.append(session.rawValue)
                seqs.append(Int64(seq))
                texts.append(text)
            case .acknowledged(let session, let through):
                acknowledged[session] = max(acknowledged[session] ?? 0, through)
            case .held(let session, let message):
                held.append((session, message))
            case .replayed(let session):
                held.removeAll { $0.session == session }
                replayed.insert(session)
            }
        }
        if !replayed.isEmpty {
            _ = try await client.query(
                "DELETE FROM session_message WHERE session = ANY(\(replayed.map(\.rawValue))::text[])", logger: logger
            ).collect()
        }
        if !held.isEmpty {
            _ = try await client.query(
                """
                INSERT INTO session_message (session, after_seq, rank, text)
                SELECT * FROM unnest(\(held.map(\.session.rawValue))::text[], \(held.map { Int64($0.message.afterSeq) })::bigint[],
                                     \(held.map { $0.message.rank })::integer[], \(held.map(\.message.text))::text[])
                ON CONFLICT DO NOTHING
                """, logger: logger
            ).collect()
        }
        if !sessions.isEmpty {
            _ = try await client.query(
                """
                INSERT INTO session_event (session, seq, text) SELECT * FROM unnest(\(sessions)::text[], \(seqs)::bigint[], \(texts)::text[])
                ON CONFLICT DO NOTHING
                """, logger: logger
            ).collect()
        }
        if !acknowledged.isEmpty {
            let ids = acknowledged.keys.map(\.rawValue)
            let through = acknowledged.values.map { Int64($0) }
            _ = try await client.query(
                """
                DELETE FROM session_event e USING unnest(\(ids)::text[], \(through)::bigint[]) AS a(session, seq)
                WHERE e.session = a.session AND e.seq <= a.seq
                """, logger: logger
            ).collect()
            _ = try await client.query(
                """
                UPDATE cluster_session s SET last_seq = GREATEST(s.last_seq, a.seq)
                FROM unnest(\(ids)::text[], \(through)::bigint[]) AS a(session, seq) WHERE s.id = a.session
                """, logger: logger
            ).collect()
        }
    }

    // MARK: Moving a session

    /// Where a session is, as the session directory has it.
    struct SessionEntry: Sendable {
        var user: UserName
        var node: String
        var nodeAlive: Bool
        var lastSeq: UInt64
    }

    func session(_ id: SessionID) async throws -> SessionEntry? {
        let rows = try await client.query(
            """
            SELECT s.username, s.node, COALESCE(n.heartbeat_at > now() - make_interval(secs => \(NodeLiveness.seconds)), false),
                   GREATEST(s.last_seq, COALESCE((SELECT MAX(seq) FROM session_event e WHERE e.session = s.id), 0))
            FROM cluster_session s LEFT JOIN cluster_node n ON n.id = s.node WHERE s.id = \(id.rawValue)
            """, logger: logger)
        for try await (user, node, alive, lastSeq) in rows.decode((String, String, Bool, Int64).self) {
            return SessionEntry(user: UserName(user), node: node, nodeAlive: alive, lastSeq: UInt64(max(0, lastSeq)))
        }
        return nil
    }

    /// The messages held for the session's away client, in the order they were sent.
    func heldMessages(of session: SessionID) async throws -> [HeldMessage] {
        let rows = try await client.query(
            "SELECT after_seq, rank, text FROM session_message WHERE session = \(session.rawValue) ORDER BY after_seq, rank", logger: logger)
        var held: [HeldMessage] = []
        for try await (afterSeq, rank, text) in rows.decode((Int64, Int, String).self) {
            held.append(HeldMessage(afterSeq: UInt64(afterSeq), rank: rank, text: text))
        }
        return held
    }

    func events(of session: SessionID, after seq: UInt64) async throws -> [JournaledEvent] {
        let rows = try await client.query(
            "SELECT seq, text FROM session_event WHERE session = \(session.rawValue) AND seq > \(Int64(seq)) ORDER BY seq", logger: logger)
        var events: [JournaledEvent] = []
        for try await (seq, text) in rows.decode((Int64, String).self) { events.append(JournaledEvent(seq: UInt64(seq), text: text)) }
        return events
    }

    /// Moves the session and its processes to this node, and numbers the user pushes pending for it after
    /// `highest` (``PendingPush``), in one transaction. Compositions cannot move: their rows go, and they are
    /// returned with the others so that the client learns they are lost.
    func move(_ session: SessionID, after highest: UInt64) async throws -> (processes: [DirectoryProcess], pending: [JournaledEvent]) {
        try await client.withTransaction(logger: logger) { connection in
            // A node frozen inside a transaction on this row (stopped, not dead) must not stall the take-over for
            // ever: past 5 s the move fails, and the take-over with it (logged; the client's resume is refused).
            _ = try await connection.query("SET LOCAL lock_timeout = '5s'", logger: logger).collect()
            // The row lock first: a pending push racing with the move is either committed before it (and read
            // below) or refused once it commits (its session no longer on the dead node).
            _ = try await connection.query("UPDATE cluster_session SET node = \(node) WHERE id = \(session.rawValue)", logger: logger).collect()
            let pending = try await takePending(of: session, after: highest, on: connection)
            var processes: [DirectoryProcess] = []
            for statement: PostgresQuery in [
                "UPDATE cluster_process SET node = \(node) WHERE session = \(session.rawValue) AND NOT composed RETURNING pid, username, service, serving, composed",
                "DELETE FROM cluster_process WHERE session = \(session.rawValue) AND composed RETURNING pid, username, service, serving, composed",
            ] {
                let rows = try await connection.query(statement, logger: logger)
                for try await (pid, user, service, serving, composed) in rows.decode((String, String, String, String, Bool).self) {
                    processes.append(DirectoryProcess(
                        pid: ProcessID(pid), session: session, user: UserName(user), requestedService: ServiceID(service),
                        servingService: ServiceID(serving), composed: composed))
                }
            }
            return (processes, pending)
        }
    }

    // MARK: Sweeping

    /// Deletes what no node will ask for again: the sessions and processes of nodes dead for longer than
    /// `resumeWindow` (their clients can no longer resume), events and held messages of sessions that no longer
    /// exist (and user pushes pending for them), bus messages nobody fetched, and nodes silent for a day.
    func sweep(resumeWindow: Duration) async throws {
        let horizon = NodeLiveness.seconds + Double(resumeWindow.components.seconds)
        let deadNode = "NOT EXISTS (SELECT 1 FROM cluster_node n WHERE n.id = t.node AND n.heartbeat_at > now() - make_interval(secs => $1))"
        for table in ["cluster_session", "cluster_process"] {
            var bindings = PostgresBindings()
            bindings.append(horizon)
            _ = try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table) t WHERE \(deadNode)", binds: bindings), logger: logger).collect()
        }
        for table in ["session_event", "session_message", "session_pending"] {
            _ = try await client.query(
                PostgresQuery(unsafeSQL: """
                    DELETE FROM \(table) e WHERE e.recorded_at < now() - interval '1 minute'
                    AND NOT EXISTS (SELECT 1 FROM cluster_session s WHERE s.id = e.session)
                    """), logger: logger
            ).collect()
        }
        _ = try await client.query("DELETE FROM cluster_message WHERE created_at < now() - interval '1 minute'", logger: logger).collect()
        _ = try await client.query("DELETE FROM cluster_node WHERE heartbeat_at < now() - interval '1 day'", logger: logger).collect()
    }
}
