import Foundation
import Testing
import WSEApp
import WSECore
import WSETesting

#if canImport(Glibc)
import Glibc
#endif

/// `wse demo --cluster 3` (real node processes, PostgreSQL, nginx): a user push sent right after the node holding
/// alice's session was killed with `kill -9` is accepted for that session (202, `delivered` 1) and reaches her once
/// she resumes on another node, after the event she had missed and before later ones.
@Suite(.serialized) struct ClusterUserPushFailoverTests {
    static let connectorKey = "ck_upush_" + String(repeating: "p3Rv", count: 6)
    static let bulletin = #"{"id":"bulletin","endpoint":"http://127.0.0.1:9/never-called","connectorKey":"\#(connectorKey)","access":{"roles":["subscriber"]}}"#

    @Test func aUserPushJustAfterItsSessionsNodeWasKilledReachesTheResumedSessionOnce() async throws {
        try await withRunningClusterDemo(nodes: 3) { cluster in
            let url = cluster.addresses.nodeURL
            let admin = ["authorization": "Bearer \(cluster.addresses.adminToken)"]
            try await cluster.registerService("bulletin", Self.bulletin)
            let token = try await login("alice", at: url)

            let killed = ResultBox<(session: String, survivor: String)>()
            try await withSocket(url) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                let session = try #require(try await socket.next()["session"]?.stringValue)
                try await Self.push(1, to: url)
                try await Self.push(2, to: url)
                try await ClusterFailoverTests.expectEvent(1, on: socket)
                let holder = try await ClusterFailoverTests.nodeHolding(sessions: 1, at: url, admin: admin)
                let victim = try #require(cluster.nodeProcesses.first { $0.id == holder })
                let survivor = try #require(cluster.nodeProcesses.first { $0.id != holder })
                #expect(kill(victim.pid, SIGKILL) == 0)
                await killed.set((session, survivor.url))
            }
            let (session, survivor) = try await killed.value()

            // At once, to a node that lives: whether it already sees the victim dead or asks it until the deadline,
            // the push is recorded for the session and counted.
            try await Self.push(3, to: survivor)

            try await withSocket(url) { socket in
                try await socket.send(["type": "hello", "token": .string(token), "resume": ["session": .string(session), "lastSeq": 1]])
                let welcome = try await socket.next()
                #expect(welcome["type"] == "welcome" && welcome["resumed"] == true && welcome["session"]?.stringValue == session, "\(welcome)")
                try await ClusterFailoverTests.expectEvent(2, on: socket)
                try await ClusterFailoverTests.expectEvent(3, on: socket)
                try await Self.push(4, to: url)
                try await ClusterFailoverTests.expectEvent(4, on: socket)
            }
        }
    }

    /// A user push of `{"n": n}` to alice, accepted for exactly one session.
    static func push(_ n: Int, to url: String) async throws {
        let (status, body) = try await httpCall(
            "POST", "\(url)/connector/in/v1/events", body: #"{"user":"alice","service":"bulletin","data":{"n":\#(n)}}"#,
            headers: ["authorization": "Bearer \(connectorKey)"])
        #expect(status == 202 && body.contains(#""delivered":1"#), "push \(n): \(status) \(body)")
    }
}
