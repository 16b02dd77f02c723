import Foundation
import Synchronization
import Testing
import WSEApp
import WSECore
import WSETesting

/// Real nodes on loopback sharing one PostgreSQL (docs/CLUSTER.md, the shared session store and the session
/// directory): what a session's away client was sent besides events (`response`, `end`) survives its node, in
/// its place among the events; and a session is in the directory before its client gets `welcome`.
@Suite(.postgresServer, .serialized) struct ClusterSessionStoreTests {
    @Test func aResponseAndAnEndSentWhileTheClientWasAwayReachItOnAnotherNodeAfterItsNodeDied() async throws {
        let connector = GatedConnector()
        try await connector.serve { endpoint in
            try await withRunningCluster(2, sessions: .shared, services: [try ClusterRoutingTests.feed(at: endpoint)]) { cluster, server in
                let token = try await cluster.token(for: "ann")
                let started = Mutex<(SessionID, String)?>(nil)
                try await withSocket(cluster.url(0)) { onA in
                    let welcome = try await ClusterRoutingTests.hello(onA, token: token)
                    try await onA.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                    let pid = try #require(try await onA.next()["pid"]?.stringValue)
                    #expect(try await ClusterRoutingTests.push(["pid": .string(pid), "data": 1], to: cluster.url(1)).0 == 202)
                    #expect(try await onA.next()["seq"] == 1)
                    // A call whose connector answers only once the client is away.
                    try await onA.send(["type": "request", "id": "slow", "service": "feed", "action": "slow"])
                    await connector.called()
                    started.withLock { $0 = (SessionID(welcome["session"]?.stringValue ?? ""), pid) }
                    try await onA.close(4000)  // the connection drops; the session waits on node a
                }
                let (session, pid) = try #require(started.withLock { $0 })
                // Its connection closed (the session is detached first), node a holds the session for the away client.
                try await eventually("node a has no connection") { cluster.members[0].node.connections.connectionCount == 0 }
                #expect(cluster.members[0].node.connections.sessionCount == 1)
                connector.answer()  // the `response` is held on node a
                try await eventually("the response is held for the away client") {
                    try await server.execute("SELECT COUNT(*) FROM session_message", in: cluster.database).first?.decode(Int.self) == 1
                }
                let (status, body) = try await ClusterRoutingTests.push(["pid": .string(pid), "data": 2, "final": true], to: cluster.url(1))
                #expect(status == 202 && body?["delivered"] == 1, "event 2 and the process's `end`, kept for the away client: \(status)")
                try await cluster.kill(0, server: server)

                try await withSocket(cluster.url(1)) { onB in
                    let welcome = try await ClusterRoutingTests.hello(onB, token: token, resume: (session, 1))
                    #expect(welcome["resumed"] == true && welcome["session"]?.stringValue == session.rawValue, "\(welcome)")
                    let response = try await onB.next()
                    #expect(response["type"] == "response" && response["id"] == "slow" && response["data"] == "late", "\(response)")
                    let event = try await onB.next()
                    #expect(event["type"] == "event" && event["seq"] == 2 && event["data"] == 2, "\(event)")
                    let end = try await onB.next()
                    #expect(end["type"] == "end" && end["pid"]?.stringValue == pid && end["reason"] == "done", "\(end)")
                    try await eventually("replayed, the held messages leave the store") {
                        try await server.execute("SELECT COUNT(*) FROM session_message", in: cluster.database).first?.decode(Int.self) == 0
                    }
                }
            }
        }
    }

    @Test func aUserPushSentThroughAnotherNodeRightAfterWelcomeReachesTheNewSession() async throws {
        let connector = GatedConnector()
        try await connector.serve { endpoint in
            try await withRunningCluster(2, sessions: .memory, services: [try ClusterRoutingTests.feed(at: endpoint)]) { cluster, server in
                // Directory writes made slow (a loaded database): the window between `hello` and the session's row
                // would be wide open, were `welcome` sent before the row is written.
                try await server.execute(
                    "CREATE FUNCTION slow_session() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$",
                    in: cluster.database)
                try await server.execute(
                    "CREATE TRIGGER slow_session BEFORE INSERT ON cluster_session FOR EACH ROW EXECUTE FUNCTION slow_session()",
                    in: cluster.database)
                let token = try await cluster.token(for: "ann")
                try await withSocket(cluster.url(0)) { onA in
                    _ = try await ClusterRoutingTests.hello(onA, token: token)
                    let (status, body) = try await ClusterRoutingTests.push(["user": "ann", "service": "feed", "data": "hi"], to: cluster.url(1))
                    #expect(status == 202 && body?["delivered"] == 1, "node b finds the session on node a: \(status) \(String(describing: body))")
                    let pushed = try await onA.next()
                    #expect(pushed["type"] == "event" && pushed["data"] == "hi", "\(pushed)")
                }
            }
        }
    }
}
