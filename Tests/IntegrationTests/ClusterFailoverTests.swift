import Foundation
import LocalServers
import Testing
import Demo
import WSEApp
import WSECore
import WSETesting

#if canImport(Glibc)
import Glibc
#endif

/// `wse demo --cluster 3` (real node processes, PostgreSQL, nginx) losing a node to `kill -9`: the
/// session it held resumes on another node with every event that connector IN had accepted, in order,
/// once, and later pushes reach it there.
@Suite(.serialized) struct ClusterFailoverTests {
    /// A service of this test, so that it can push to alice through connector IN with a key it knows.
    static let connectorKey = "ck_failover_" + String(repeating: "k7Qz", count: 6)
    static let ticker = #"{"id":"ticker","endpoint":"http://127.0.0.1:9/never-called","connectorKey":"\#(connectorKey)","access":{"roles":["subscriber"]}}"#

    @Test func aSessionOfAKilledNodeResumesOnAnotherWithEveryAcceptedEventOnce() async throws {
        try await withRunningClusterDemo(nodes: 3) { cluster in
            let url = cluster.addresses.nodeURL
            let admin = ["authorization": "Bearer \(cluster.addresses.adminToken)"]
            try await cluster.registerService("ticker", Self.ticker)
            let token = try await login("alice", at: url)

            // 20 events accepted (202, delivered 1); the client reads the first 10, then its node is killed.
            let first = try await Self.withSession(at: url, token: token) { socket, session in
                for n in 1...20 { try await Self.push(n, to: url) }
                for n in 1...10 { try await Self.expectEvent(n, on: socket) }
                let holder = try await Self.nodeHolding(sessions: 1, at: url, admin: admin)
                let victim = try #require(cluster.nodeProcesses.first { $0.id == holder })
                #expect(kill(victim.pid, SIGKILL) == 0)
                return session
            }

            // The client comes back through nginx, to one of the two others, and resumes after seq 10.
            try await withSocket(url) { socket in
                try await socket.send([
                    "type": "hello", "token": .string(token), "resume": ["session": .string(first), "lastSeq": 10],
                ])
                let welcome = try await socket.next()
                #expect(welcome["type"] == "welcome" && welcome["resumed"] == true && welcome["session"]?.stringValue == first)
                for n in 11...20 { try await Self.expectEvent(n, on: socket) }
                // Pushes accepted from now on reach the session on its new node, numbered on from 20.
                for n in 21...25 { try await Self.push(n, to: url) }
                for n in 21...25 { try await Self.expectEvent(n, on: socket) }
            }
        }
    }

    @Test func aGracefulStopHandsTheSessionsProcessesToTheNodeWhereTheyResume() async throws {
        try await withRunningClusterDemo(nodes: 3) { cluster in
            let url = cluster.addresses.nodeURL
            let admin = ["authorization": "Bearer \(cluster.addresses.adminToken)"]
            let token = try await login("alice", at: url)

            // alice follows a position (a report each second, pushed by the REST connector through nginx).
            let subscription = SubscriptionLog()
            let frame = try await withSocket(url) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                await subscription.setSession(try #require(try await socket.next()["session"]?.stringValue))
                try await socket.send([
                    "type": "request", "id": "s", "service": "location", "action": "subscribe",
                    "data": ["address": "tel:+15550100002", "interval": 1],
                ])
                let accepted = try await socket.next()
                #expect(accepted["type"] == "response")
                await subscription.setPid(try #require(accepted["pid"]?.stringValue))
                try await subscription.record(try await socket.next(within: 5))
                let holder = try await Self.nodeHolding(sessions: 1, at: url, admin: admin)
                let victim = try #require(cluster.nodeProcesses.first { $0.id == holder })
                #expect(kill(victim.pid, SIGTERM) == 0)
                // Events that crossed the stop, then the close.
                while let message = await socket.mailbox.next(within: 10) { try await subscription.record(message) }
                #expect(await socket.mailbox.closed, "the stopping node closes the connection")
            }
            #expect(frame?.closeCode == .goingAway, "closed with 1001: \(String(describing: frame))")

            // The client comes back through nginx (to another node) and resumes; the subscription goes on there.
            let (session, lastSeq) = try await subscription.resumePoint()
            try await withSocket(url) { socket in
                try await socket.send([
                    "type": "hello", "token": .string(token), "resume": ["session": .string(session), "lastSeq": .number(Double(lastSeq))],
                ])
                let welcome = try await socket.next()
                #expect(welcome["type"] == "welcome" && welcome["resumed"] == true && welcome["session"]?.stringValue == session)
                for _ in 1...3 { try await subscription.record(try await socket.next(within: 10)) }
            }
            let seqs = await subscription.seqs
            #expect(seqs == Array(1...seqs.count), "every event once, in order: \(seqs)")
            #expect(seqs.count >= lastSeq + 3)
        }
    }

    @Test func clientsReconnectThroughARestartedNginxAndResumeWithWhatTheyMissed() async throws {
        try await withRunningClusterDemo(nodes: 3) { cluster in
            let url = cluster.addresses.nodeURL
            try await cluster.registerService("ticker", Self.ticker)
            let token = try await login("alice", at: url)
            let nginx = cluster.nginx
            let session = ResultBox<String>()
            // nginx stops (SIGTERM: fast shutdown) while alice is connected through it: her connection drops.
            _ = try? await withSocket(url) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                await session.set(try #require(try await socket.next()["session"]?.stringValue))
                for n in 1...3 { try await Self.push(n, to: url) }
                for n in 1...3 { try await Self.expectEvent(n, on: socket) }
                #expect(kill(nginx.pid, SIGTERM) == 0)
                while await socket.mailbox.next(within: 10) != nil {}
                #expect(await socket.mailbox.closed, "nginx's stop drops the connection")
            }
            let id = try await session.value()
            try await eventually("nginx has exited") { kill(nginx.pid, 0) != 0 }
            // Pushes go on reaching the nodes directly (connectors may be given a node's own URL): held for her.
            let direct = try #require(cluster.nodeProcesses.first).url
            for n in 4...5 { try await Self.push(n, to: direct) }

            // nginx starts again with the same configuration; the client comes back through it and resumes.
            let configuration = try String(contentsOf: nginx.directory.appendingPathComponent("nginx.conf"), encoding: .utf8)
            let restarted = try await LocalNginx.start(configuration: configuration, port: nginx.port)
            do {
                try await withSocket(url) { socket in
                    try await socket.send(["type": "hello", "token": .string(token), "resume": ["session": .string(id), "lastSeq": 3]])
                    let welcome = try await socket.next()
                    #expect(welcome["type"] == "welcome" && welcome["resumed"] == true && welcome["session"]?.stringValue == id)
                    for n in 4...5 { try await Self.expectEvent(n, on: socket) }
                    try await Self.push(6, to: url)
                    try await Self.expectEvent(6, on: socket)
                }
            } catch {
                await restarted.stop()
                throw error
            }
            await restarted.stop()
        }
    }

    /// Opens a session for `token`, runs `body` with it, and returns what `body` returns.
    static func withSession<Result: Sendable>(
        at url: String, token: String, _ body: @escaping @Sendable (TestSocket, String) async throws -> Result
    ) async throws -> Result {
        let result = ResultBox<Result>()
        try await withSocket(url) { socket in
            try await socket.send(["type": "hello", "token": .string(token)])
            let welcome = try await socket.next()
            let session = try #require(welcome["session"]?.stringValue)
            await result.set(try await body(socket, session))
        }
        return try await result.value()
    }

    /// One unsolicited push of `{"n": n}` to alice, accepted by the cluster for exactly one session.
    static func push(_ n: Int, to url: String) async throws {
        let (status, body) = try await httpCall(
            "POST", "\(url)/connector/in/v1/events", body: #"{"user":"alice","service":"ticker","data":{"n":\#(n)}}"#,
            headers: ["authorization": "Bearer \(connectorKey)"])
        #expect(status == 202 && body.contains(#""delivered":1"#), "push \(n): \(status) \(body)")
    }

    static func expectEvent(_ n: Int, on socket: TestSocket, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let event = try await socket.next(within: 10)
        #expect(event["type"] == "event" && event["seq"]?.intValue == n && event["data"]?["n"]?.intValue == n,
                "expected event \(n), got \(event)", sourceLocation: sourceLocation)
    }

    /// The id of the node whose session count is `sessions` (the nodes report theirs with each heartbeat).
    static func nodeHolding(sessions: Int, at url: String, admin: [String: String]) async throws -> String {
        var holder: String?
        try await eventually("a node reports the session") {
            let (_, body) = try await httpCall("GET", "\(url)/admin/v1/nodes", headers: admin)
            let nodes = try JSONValue.parse(body)["nodes"]?.arrayValue ?? []
            holder = nodes.first { $0["sessions"]?.intValue == sessions }?["id"]?.stringValue
            return holder != nil
        }
        return try #require(holder)
    }
}

/// Carries a value out of a `withSocket` body.
actor ResultBox<Value: Sendable> {
    private var stored: Value?
    func set(_ value: Value) { stored = value }
    func value() throws -> Value {
        guard let stored else { throw TestFailure("the socket closed before the test's body finished") }
        return stored
    }
}

/// What alice's client saw of one subscription: its session, its pid, and the `seq` of each of its events.
actor SubscriptionLog {
    private(set) var session: String?
    private(set) var pid: String?
    private(set) var seqs: [Int] = []

    func setSession(_ id: String) { session = id }
    func setPid(_ id: String) { pid = id }

    /// Keeps an event of the subscription; anything else fails the test.
    func record(_ message: JSONValue) throws {
        guard message["type"] == "event", message["pid"]?.stringValue == pid, let seq = message["seq"]?.intValue,
            message["data"]?["latitude"]?.doubleValue != nil
        else { throw TestFailure("expected an event of the subscription \(pid ?? "-"), got \(message)") }
        seqs.append(seq)
    }

    func resumePoint() throws -> (String, Int) {
        guard let session else { throw TestFailure("no session") }
        return (session, seqs.last ?? 0)
    }
}
