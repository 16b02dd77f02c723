import Foundation
import Testing
import WSEApp
import WSECore
import WSETesting

/// The shared session store failing while a node runs (docs/CLUSTER.md, non-guarantees): a push whose event
/// cannot be committed is answered 503 `unavailable`, never 202, while the session keeps its local traffic.
@Suite(.postgresServer, .serialized) struct ClusterStoreFaultTests {
    /// Makes every insert into `session_event` fail (as a full or read-only database would), or undoes it.
    static func refuseEvents(_ refuse: Bool, in database: String, server: PostgresTestServer) async throws {
        if refuse {
            _ = try await server.execute(
                "CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
                in: database)
            _ = try await server.execute(
                "CREATE TRIGGER refuse_event BEFORE INSERT ON session_event FOR EACH ROW EXECUTE FUNCTION refuse_event()", in: database)
        } else {
            _ = try await server.execute("DROP TRIGGER refuse_event ON session_event", in: database)
        }
    }

    @Test func aPushWhoseEventCannotBeCommittedIsUnavailableAndTheSessionKeepsItsTraffic() async throws {
        let connector = AcceptingConnector()
        try await connector.serve { endpoint in
            try await withRunningCluster(1, sessions: .shared, services: [try ClusterRoutingTests.feed(at: endpoint)]) { cluster, server in
                let token = try await cluster.token(for: "ann")
                try await withSocket(cluster.url(0)) { socket in
                    _ = try await ClusterRoutingTests.hello(socket, token: token)
                    try await socket.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                    let pid = try #require(try await socket.next()["pid"]?.stringValue)
                    let push = { (n: Int) in try await ClusterRoutingTests.push(["pid": .string(pid), "data": .number(Double(n))], to: cluster.url(0)) }
                    #expect(try await push(1).0 == 202)
                    #expect(try await socket.next()["seq"] == 1)

                    try await Self.refuseEvents(true, in: cluster.database, server: server)
                    let (status, body) = try await push(2)
                    #expect(status == 503 && body?["error"]?["code"] == "unavailable", "not durable, so not accepted: \(status) \(String(describing: body))")
                    let local = try await socket.next()
                    #expect(local["seq"] == 2 && local["data"] == 2, "the connected client still gets it: \(local)")
                    #expect(try await server.execute("SELECT seq FROM session_event WHERE seq = 2", in: cluster.database).isEmpty)

                    // Back: at most one more push is answered 503 (its commit cannot tell its item from the failed
                    // batch's), and from then on pushes are committed and accepted again.
                    try await Self.refuseEvents(false, in: cluster.database, server: server)
                    let third = try await push(3).0
                    #expect(third == 202 || third == 503)
                    #expect(try await socket.next()["seq"] == 3)
                    #expect(try await push(4).0 == 202)
                    #expect(try await socket.next()["seq"] == 4)
                    #expect(try await server.execute("SELECT seq FROM session_event WHERE seq = 4", in: cluster.database).count == 1)
                }
            }
        }
    }

    @Test func aPushThatNeedsTheDirectoriesWhileTheyAreUnreadableIsUnavailableNotNotFound() async throws {
        let connector = AcceptingConnector()
        try await connector.serve { endpoint in
            try await withRunningCluster(2, sessions: .shared, services: [try ClusterRoutingTests.feed(at: endpoint)]) { cluster, server in
                let token = try await cluster.token(for: "ann")
                try await withSocket(cluster.url(0)) { onA in
                    _ = try await ClusterRoutingTests.hello(onA, token: token)
                    try await onA.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                    let pid = try #require(try await onA.next()["pid"]?.stringValue)
                    let userPush: JSONValue = ["user": "ann", "service": "feed", "data": "hi"]

                    // Node b must look the process and ann's sessions up in PostgreSQL, which cannot answer.
                    for table in ["cluster_process", "cluster_session"] {
                        _ = try await server.execute("ALTER TABLE \(table) RENAME TO \(table)_away", in: cluster.database)
                    }
                    let (byPid, body) = try await ClusterRoutingTests.push(["pid": .string(pid), "data": 1], to: cluster.url(1))
                    #expect(byPid == 503 && body?["error"]?["code"] == "unavailable", "retry, not 404: \(byPid)")
                    #expect(try await ClusterRoutingTests.push(userPush, to: cluster.url(1)).0 == 503)

                    for table in ["cluster_process", "cluster_session"] {
                        _ = try await server.execute("ALTER TABLE \(table)_away RENAME TO \(table)", in: cluster.database)
                    }
                    #expect(try await ClusterRoutingTests.push(["pid": .string(pid), "data": 2], to: cluster.url(1)).0 == 202)
                    #expect(try await onA.next()["data"] == 2)
                }
            }
        }
    }
}
