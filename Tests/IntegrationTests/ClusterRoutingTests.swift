import Foundation
import LocalServers
import Synchronization
import Testing
import WSEApp
import WSECore
import WSETesting

/// Real nodes on loopback sharing one PostgreSQL (docs/CLUSTER.md): a push to any node's connector IN reaches the
/// process's session or the user's sessions wherever they are; with the shared session store, a session whose
/// node died resumes on another node with every event it missed, exactly once and in order.
@Suite(.postgresServer, .serialized) struct ClusterRoutingTests {
    static let key = "cluster-key-0123456789abcdef"

    static func feed(at endpoint: String) throws -> ServiceDefinition {
        try JSONDecoder().decode(ServiceDefinition.self, from: Data(#"""
            {"id":"feed","kind":"basic","endpoint":"\#(endpoint)","connectorKey":"\#(key)"}
            """#.utf8))
    }

    /// `POST /connector/in/v1/events` on `node`; the status and the parsed body.
    static func push(_ body: JSONValue, to node: String) async throws -> (Int, JSONValue?) {
        let (status, text) = try await httpCall("POST", "\(node)/connector/in/v1/events", body: body.jsonText, headers: ["Authorization": "Bearer \(key)"])
        return (status, try? JSONValue.parse(text))
    }

    /// Opens a session (`hello`) and returns its id.
    static func hello(_ socket: TestSocket, token: String, resume: (SessionID, UInt64)? = nil) async throws -> JSONValue {
        var hello: [String: JSONValue] = ["type": "hello", "token": .string(token)]
        if let (session, lastSeq) = resume { hello["resume"] = ["session": .string(session.rawValue), "lastSeq": .number(Double(lastSeq))] }
        try await socket.send(.object(hello))
        let welcome = try await socket.next()
        #expect(welcome["type"] == "welcome", "\(welcome)")
        return welcome
    }

    @Test func aPushToAnyNodeReachesTheProcessAndEveryNodeWithSessionsOfTheUser() async throws {
        let connector = AcceptingConnector()
        try await connector.serve { endpoint in
            try await withRunningCluster(3, sessions: .memory, services: [try Self.feed(at: endpoint)]) { cluster, server in
                let token = try await cluster.token(for: "ann")
                try await withSocket(cluster.url(0)) { onA in
                    try await withSocket(cluster.url(1)) { onB in
                        try await withSocket(cluster.url(2)) { onC in
                            for socket in [onA, onB, onC] { _ = try await Self.hello(socket, token: token) }
                            try await onA.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                            let response = try await onA.next()
                            let pid = try #require(response["pid"]?.stringValue, "\(response)")

                            let (status, body) = try await Self.push(["pid": .string(pid), "data": ["n": 1]], to: cluster.url(2))
                            #expect(status == 202 && body?["delivered"] == 1, "connector IN on node c reaches the process on node a: \(status) \(String(describing: body))")
                            let event = try await onA.next()
                            #expect(event["type"] == "event" && event["pid"]?.stringValue == pid && event["data"] == ["n": 1] && event["seq"] == 1)

                            // The session directory is written in batches, moments after each hello (docs/CLUSTER.md).
                            try await eventually("the three sessions are in the session directory") {
                                try await server.execute("SELECT COUNT(*) FROM cluster_session WHERE username = 'ann'", in: cluster.database)
                                    .first?.decode(Int.self) == 3
                            }
                            let (userStatus, userBody) = try await Self.push(["user": "ann", "service": "feed", "data": "hello"], to: cluster.url(2))
                            #expect(userStatus == 202 && userBody?["delivered"] == 3, "every node's session is counted: \(String(describing: userBody))")
                            for socket in [onA, onB, onC] {
                                let pushed = try await socket.next()
                                #expect(pushed["type"] == "event" && pushed["data"] == "hello" && pushed["service"] == "feed", "\(pushed)")
                            }

                            let (unknown, _) = try await Self.push(["pid": "p-nowhere", "data": 1], to: cluster.url(1))
                            #expect(unknown == 404)
                            let (nodesStatus, nodesText) = try await httpCall(
                                "GET", "\(cluster.url(1))/admin/v1/nodes", headers: ["Authorization": "Bearer \(cluster.members[1].node.adminToken)"])
                            #expect(nodesStatus == 200)
                            guard case .array(let listed)? = try JSONValue.parse(nodesText)["nodes"] else { throw TestFailure("no node list: \(nodesText)") }
                            #expect(listed.map { $0["id"] } == ["a", "b", "c"], "\(nodesText)")
                            #expect(listed.allSatisfy { $0["alive"] == true })
                        }
                    }
                }
            }
        }
    }

    @Test func aSessionOfADeadNodeResumesOnAnotherWithEveryMissedEventOnceAndItsProcessFollows() async throws {
        let connector = AcceptingConnector()
        try await connector.serve { endpoint in
            try await withRunningCluster(3, sessions: .shared, services: [try Self.feed(at: endpoint)]) { cluster, server in
                let token = try await cluster.token(for: "ann")
                let started = Mutex<(SessionID, String)?>(nil)
                try await withSocket(cluster.url(0)) { onA in
                    let welcome = try await Self.hello(onA, token: token)
                    try await onA.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                    let pid = try #require(try await onA.next()["pid"]?.stringValue)
                    for n in 1...2 {
                        #expect(try await Self.push(["pid": .string(pid), "data": .number(Double(n))], to: cluster.url(1)).0 == 202)
                        #expect(try await onA.next()["seq"] == .number(Double(n)))
                    }
                    started.withLock { $0 = (SessionID(welcome["session"]?.stringValue ?? ""), pid) }
                    try await onA.close(4000)  // the connection drops; the session waits on node a
                }
                let (session, pid) = try #require(started.withLock { $0 })
                for n in 3...5 {
                    let (status, body) = try await Self.push(["pid": .string(pid), "data": .number(Double(n))], to: cluster.url(1))
                    #expect(status == 202 && body?["delivered"] == 1, "event \(n) is kept for the away client: \(status)")
                }
                try await cluster.kill(0, server: server)

                try await withSocket(cluster.url(1)) { onB in
                    let welcome = try await Self.hello(onB, token: token, resume: (session, 2))
                    #expect(welcome["resumed"] == true && welcome["session"]?.stringValue == session.rawValue, "\(welcome)")
                    for n in 3...5 {
                        let event = try await onB.next()
                        #expect(event["type"] == "event" && event["seq"] == .number(Double(n)) && event["data"] == .number(Double(n)),
                                "missed event \(n), once and in order: \(event)")
                    }
                    try await eventually("node b runs the moved process") { await cluster.members[1].node.mediator.runningProcessCount == 1 }
                    let (status, body) = try await Self.push(["pid": .string(pid), "data": 6], to: cluster.url(2))
                    #expect(status == 202 && body?["delivered"] == 1, "a later push through node c reaches the process on node b")
                    let next = try await onB.next()
                    #expect(next["seq"] == 6 && next["data"] == 6, "numbering continues, nothing repeated: \(next)")
                }
            }
        }
    }

    @Test func aSessionResumedOnAnotherNodeWhileItsNodeLivesIsLetGoThereAndMoves() async throws {
        let connector = AcceptingConnector()
        try await connector.serve { endpoint in
            try await withRunningCluster(2, sessions: .shared, services: [try Self.feed(at: endpoint)]) { cluster, _ in
                let token = try await cluster.token(for: "ann")
                let started = Mutex<(SessionID, String)?>(nil)
                try await withSocket(cluster.url(0)) { onA in
                    let welcome = try await Self.hello(onA, token: token)
                    try await onA.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                    let pid = try #require(try await onA.next()["pid"]?.stringValue)
                    #expect(try await Self.push(["pid": .string(pid), "data": 1], to: cluster.url(0)).0 == 202)
                    #expect(try await onA.next()["seq"] == 1)
                    started.withLock { $0 = (SessionID(welcome["session"]?.stringValue ?? ""), pid) }
                    try await onA.close(4000)
                }
                let (session, pid) = try #require(started.withLock { $0 })
                #expect(try await Self.push(["pid": .string(pid), "data": 2], to: cluster.url(0)).0 == 202, "kept on node a for the away client")

                try await withSocket(cluster.url(1)) { onB in
                    let welcome = try await Self.hello(onB, token: token, resume: (session, 1))
                    #expect(welcome["resumed"] == true && welcome["session"]?.stringValue == session.rawValue, "\(welcome)")
                    let missed = try await onB.next()
                    #expect(missed["seq"] == 2 && missed["data"] == 2, "\(missed)")
                    #expect(cluster.members[0].node.connections.sessionCount == 0, "node a let the session go")
                    try await eventually("node b runs the moved process") { await cluster.members[1].node.mediator.runningProcessCount == 1 }
                    #expect(await cluster.members[0].node.mediator.runningProcessCount == 0)
                    #expect(connector.calls.cancelled.isEmpty, "the connector's process lives on: nobody cancelled it")
                    let (status, body) = try await Self.push(["pid": .string(pid), "data": 3], to: cluster.url(0))
                    #expect(status == 202 && body?["delivered"] == 1, "a push to node a is routed to node b now")
                    let next = try await onB.next()
                    #expect(next["seq"] == 3 && next["data"] == 3, "\(next)")
                }
            }
        }
    }

    /// `POST` of `body` to a connector IN URL as a connector would (a callback, with its query); status and parsed body.
    static func push(_ body: JSONValue, toURL url: String) async throws -> (Int, JSONValue?) {
        let (status, text) = try await httpCall("POST", url, body: body.jsonText, headers: ["Authorization": "Bearer \(key)"])
        return (status, try? JSONValue.parse(text))
    }

    /// Each node's `wse_cluster_forwarded_pushes_total`, read from its `/metrics`.
    static func forwardedPushes(_ cluster: RunningCluster) async throws -> [Int] {
        var counts: [Int] = []
        for member in cluster.members {
            let (status, text) = try await httpCall("GET", "\(member.url)/metrics", headers: ["Authorization": "Bearer \(member.node.adminToken)"])
            let line = text.split(separator: "\n").first { $0.hasPrefix("wse_cluster_forwarded_pushes_total ") }
            let count = line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) }
            counts.append(try #require(count, "\(member.url)/metrics (\(status)) has the forwarded pushes' counter"))
        }
        return counts
    }

    /// Connector IN through nginx with the shipped configuration (docs/CLUSTER.md, "Routing connector IN"): the
    /// callback names the node that started the process, and nginx sends its pushes there; a wrong hint, a hint naming
    /// a node whose process moved, or a dead node, still reaches the process once.
    @Test func aHintedPushLandsOnTheNodeOfItsProcessAndAWrongOrStaleHintIsStillDeliveredOnce() async throws {
        let connector = AcceptingConnector()
        let reservation = try PortReservation()
        let balancer = "http://127.0.0.1:\(reservation.port)"
        let dead = try PortReservation()  // bound, never listening: connections to it are refused, as to a killed node's port
        try await connector.serve { endpoint in
            try await withRunningCluster(3, sessions: .shared, services: [try Self.feed(at: endpoint)], publicURL: balancer) { cluster, _ in
                try await withNginx(in: cluster, on: reservation, alsoListing: [(id: "gone", port: dead.port)]) {
                    let token = try await cluster.token(for: "ann")
                    let started = Mutex<(SessionID, String, String)?>(nil)
                    try await withSocket(cluster.url(0)) { onA in
                        let welcome = try await Self.hello(onA, token: token)
                        try await onA.send(["type": "request", "id": "w", "service": "feed", "action": "watch"])
                        let pid = try #require(try await onA.next()["pid"]?.stringValue)
                        let callback = try #require(connector.calls.callback(of: pid))
                        #expect(callback == "\(balancer)/connector/in/v1/events?node=a", "the public URL, naming node a")

                        for n in 1...5 {
                            let (status, body) = try await Self.push(["pid": .string(pid), "data": .number(Double(n))], toURL: callback)
                            #expect(status == 202 && body?["delivered"] == 1, "push \(n): \(status)")
                            #expect(try await onA.next()["seq"] == .number(Double(n)))
                        }
                        // The batch form takes the same route.
                        let batch: JSONValue = [["pid": .string(pid), "data": 6], ["pid": .string(pid), "data": 7]]
                        let (batchStatus, results) = try await Self.push(batch, toURL: callback)
                        #expect(batchStatus == 200 && results?["results"] == [["status": 202, "delivered": 1], ["status": 202, "delivered": 1]],
                                "\(batchStatus) \(String(describing: results))")
                        for n in 6...7 { #expect(try await onA.next()["seq"] == .number(Double(n))) }
                        #expect(try await Self.forwardedPushes(cluster) == [0, 0, 0], "every hinted push landed on node a")

                        // A wrong hint lands on node b, which forwards the push to node a: delivered once.
                        let (status, body) = try await Self.push(["pid": .string(pid), "data": 8], toURL: "\(balancer)/connector/in/v1/events?node=b")
                        #expect(status == 202 && body?["delivered"] == 1)
                        let event = try await onA.next()
                        #expect(event["seq"] == 8 && event["data"] == 8, "\(event)")
                        #expect(try await Self.forwardedPushes(cluster) == [0, 1, 0])
                        started.withLock { $0 = (SessionID(welcome["session"]?.stringValue ?? ""), pid, callback) }
                        try await onA.close(4000)
                    }
                    let (session, pid, callback) = try #require(started.withLock { $0 })

                    try await withSocket(cluster.url(1)) { onB in
                        // ann resumes on node b while a lives: a lets the session go and b adopts the process. The
                        // callback still names a, which now forwards.
                        let welcome = try await Self.hello(onB, token: token, resume: (session, 8))
                        #expect(welcome["resumed"] == true, "\(welcome)")
                        try await eventually("node b runs the moved process") { await cluster.members[1].node.mediator.runningProcessCount == 1 }
                        let (status, body) = try await Self.push(["pid": .string(pid), "data": 9], toURL: callback)
                        #expect(status == 202 && body?["delivered"] == 1, "\(status)")
                        let moved = try await onB.next()
                        #expect(moved["seq"] == 9 && moved["data"] == 9, "once, numbering continued: \(moved)")
                        #expect(try await Self.forwardedPushes(cluster) == [1, 1, 0], "node a forwarded it to b")

                        // A hint naming a dead node (listed to nginx, its port refusing): nginx sends the push to a backup.
                        for n in 10...11 {
                            let (status, body) = try await Self.push(["pid": .string(pid), "data": .number(Double(n))], toURL: "\(balancer)/connector/in/v1/events?node=gone")
                            #expect(status == 202 && body?["delivered"] == 1, "a live node took it: \(status)")
                            let event = try await onB.next()
                            #expect(event["seq"] == .number(Double(n)) && event["data"] == .number(Double(n)), "once, in order: \(event)")
                        }
                    }
                }
            }
        }
        withExtendedLifetime(dead) {}
    }
}
