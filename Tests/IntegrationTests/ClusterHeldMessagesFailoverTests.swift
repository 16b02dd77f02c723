import Foundation
import Testing
import WSEApp
import WSECore
import WSETesting

#if canImport(Glibc)
import Glibc
#endif

/// `wse demo --cluster 3` (real node processes, PostgreSQL, nginx): the `end` of a process, sent while its
/// client was away, survives a `kill -9` of the node that held the session, after the event that preceded it.
@Suite(.serialized) struct ClusterHeldMessagesFailoverTests {
    static let connectorKey = "ck_held_" + String(repeating: "h4Wq", count: 6)

    @Test func anEndSentWhileTheClientWasAwaySurvivesAKilledNodeAfterItsEvent() async throws {
        let connector = GatedConnector()
        try await connector.serve { endpoint in
            try await withRunningClusterDemo(nodes: 3) { cluster in
                let url = cluster.addresses.nodeURL
                let admin = ["authorization": "Bearer \(cluster.addresses.adminToken)"]
                let service = #"{"id":"feed","endpoint":"\#(endpoint)","connectorKey":"\#(Self.connectorKey)","access":{"roles":["subscriber"]}}"#
                try await cluster.registerService("feed", service)
                let token = try await login("alice", at: url)

                let started = ResultBox<(session: String, pid: String, holder: String)>()
                try await withSocket(url) { socket in
                    try await socket.send(["type": "hello", "token": .string(token)])
                    let session = try #require(try await socket.next()["session"]?.stringValue)
                    try await socket.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                    let pid = try #require(try await socket.next()["pid"]?.stringValue)
                    let holder = try await ClusterFailoverTests.nodeHolding(sessions: 1, at: url, admin: admin)
                    await started.set((session, pid, holder))
                    try await socket.close(4000)  // the connection drops; the session waits on its node
                }
                let (session, pid, holder) = try await started.value()
                let victim = try #require(cluster.nodeProcesses.first { $0.id == holder })
                try await eventually("the holding node has detached the session (no connection left)") {
                    let (_, metrics) = try await httpCall("GET", "\(victim.url)/metrics", headers: admin)
                    return metrics.split(separator: "\n").contains { $0.hasPrefix("wse_connections ") && Double($0.split(separator: " ").last ?? "") == 0 }
                }

                // A final push: an event, then the process's `end`, both held for the away client; 202 once committed.
                let (status, body) = try await httpCall(
                    "POST", "\(url)/connector/in/v1/events", body: #"{"pid":"\#(pid)","data":{"n":1},"final":true}"#,
                    headers: ["authorization": "Bearer \(Self.connectorKey)"])
                #expect(status == 202 && body.contains(#""delivered":1"#), "\(status) \(body)")
                #expect(kill(victim.pid, SIGKILL) == 0)

                try await withSocket(url) { socket in
                    try await socket.send(["type": "hello", "token": .string(token), "resume": ["session": .string(session), "lastSeq": 0]])
                    let welcome = try await socket.next()
                    #expect(welcome["type"] == "welcome" && welcome["resumed"] == true && welcome["session"]?.stringValue == session, "\(welcome)")
                    let event = try await socket.next()
                    #expect(event["type"] == "event" && event["seq"] == 1 && event["data"]?["n"] == 1, "\(event)")
                    let end = try await socket.next()
                    #expect(end["type"] == "end" && end["pid"]?.stringValue == pid && end["reason"] == "done", "\(end)")
                }
            }
        }
    }
}
