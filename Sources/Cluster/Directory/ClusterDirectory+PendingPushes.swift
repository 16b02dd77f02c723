import PostgresNIO
import WSECore

/// Where the sessions of a user are, for a user push: the live nodes to ask, and the sessions of nodes known dead.
struct UserSessionHolders: Sendable, Equatable {
    /// A session of the user and the node the session directory has it on.
    struct SessionOnNode: Sendable, Equatable {
        var session: String
        var node: String
    }

    /// Live nodes other than this one with sessions of the user.
    var liveNodes: [String] = []
    /// The user's sessions on dead nodes, which may resume elsewhere.
    var awaySessions: [SessionOnNode] = []
    /// The user's sessions on the live nodes, for those that do not answer (``ClusterInbound/sessionsOfSilentNodes(_:of:listed:)``).
    var liveSessions: [SessionOnNode] = []
}

/// A session as a user push for a service sees it (``ClusterDirectory/standing(of:toward:)``).
struct SessionStanding: Sendable, Equatable {
    var principal: Principal?
    var runsService: Bool
}

/// A user push for the sessions of dead nodes (`session_pending`, migration 6): recorded before the push is answered,
/// numbered by the node that takes each session over, after its highest seq, in the transaction that moves it.
extension ClusterDirectory {
    /// The nodes other than this one that hold sessions of `user`, live (``nodeIsLive``) or not. One query, the
    /// presence test once per node.
    func holders(ofSessionsOf user: UserName) async throws -> UserSessionHolders {
        let rows = try await client.query(
            """
            WITH h AS (SELECT node, array_agg(id) AS sessions FROM cluster_session WHERE username = \(user.rawValue) AND node <> \(node) GROUP BY node)
            SELECT h.node, \(unescaped: Self.nodeIsLive), h.sessions FROM h LEFT JOIN cluster_node n ON n.id = h.node
            """, logger: logger)
        var holders = UserSessionHolders()
        for try await (other, live, sessions) in rows.decode((String, Bool, [String]).self) {
            let placed = sessions.sorted().map { UserSessionHolders.SessionOnNode(session: $0, node: other) }
            if live {
                holders.liveNodes.append(other)
                holders.liveSessions += placed
            } else {
                holders.awaySessions += placed
            }
        }
        holders.liveNodes.sort()
        holders.liveSessions.sort { ($0.node, $0.session) < ($1.node, $1.session) }
        return holders
    }

    /// What a user push needs to know of each of `sessions` (by id) for `service`: the principal it was opened with
    /// (nil if unreadable) and whether it runs a process of the service. Sessions not in the directory are absent.
    func standing(of sessions: [String], toward service: ServiceID) async throws -> [String: SessionStanding] {
        let rows = try await client.query(
            """
            SELECT s.id, s.principal, EXISTS (SELECT 1 FROM cluster_process p
                WHERE p.session = s.id AND (p.service = \(service.rawValue) OR p.serving = \(service.rawValue)))
            FROM cluster_session s WHERE s.id = ANY(\(sessions))
            """, logger: logger)
        var standing: [String: SessionStanding] = [:]
        for try await (id, principal, runsService) in rows.decode((String, String, Bool).self) {
            standing[id] = SessionStanding(principal: ClusterNode.principal(fromJSON: principal), runsService: runsService)
        }
        return standing
    }

    /// Records the event (`tail`: the wire event after its seq, ``PendingPush``) for each session still on the dead
    /// node it was found on, holding each session's row (`FOR SHARE`) until the insert commits, so that a take-over
    /// either waits and reads it or has moved the session first. - Returns: how many sessions it was recorded for.
    func recordPending(_ tail: String, for sessions: [UserSessionHolders.SessionOnNode]) async throws -> Int {
        let rows = try await client.query(
            """
            WITH away AS (
                SELECT s.id FROM cluster_session s JOIN unnest(\(sessions.map(\.session))::text[], \(sessions.map(\.node))::text[]) AS d(id, node)
                ON s.id = d.id AND s.node = d.node FOR SHARE OF s)
            INSERT INTO session_pending (session, tail) SELECT id, \(tail) FROM away RETURNING session
            """, logger: logger)
        var recorded = 0
        for try await _ in rows { recorded += 1 }
        return recorded
    }

    /// In the take-over's transaction: the pending pushes of `session` become its events after `highest`, in the
    /// order they were recorded, and leave `session_pending`.
    func takePending(of session: SessionID, after highest: UInt64, on connection: PostgresConnection) async throws -> [JournaledEvent] {
        let rows = try await connection.query(
            "DELETE FROM session_pending WHERE session = \(session.rawValue) RETURNING id, tail", logger: logger)
        var pending: [(id: Int64, tail: String)] = []
        for try await (id, tail) in rows.decode((Int64, String).self) { pending.append((id, tail)) }
        guard !pending.isEmpty else { return [] }
        let events = pending.sorted { $0.id < $1.id }.enumerated().map { offset, push in
            let seq = highest + UInt64(offset) + 1
            return JournaledEvent(seq: seq, text: PendingPush.text(seq: seq, tail: push.tail))
        }
        _ = try await connection.query(
            """
            INSERT INTO session_event (session, seq, text)
            SELECT \(session.rawValue), * FROM unnest(\(events.map { Int64($0.seq) })::bigint[], \(events.map(\.text))::text[])
            """, logger: logger
        ).collect()
        return events
    }
}

/// The wire `event` of a user push, split at its seq: the part after it is what `session_pending` keeps.
enum PendingPush {
    static func tail(service: ServiceID, data: JSONValue) -> String {
        var tail = ""
        OutboundEvent(service: service, pid: nil, data: data).writeFieldsAfterSeq(to: &tail)
        return tail + "}"
    }

    static func text(seq: UInt64, tail: String) -> String {
        "{\"type\":\"event\",\"seq\":\(seq)" + tail
    }
}
