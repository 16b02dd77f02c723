import Foundation
import Logging
import Testing
import WSEApp
import WSECore
import WSETesting

/// Two nodes on one PostgreSQL database, in this test process: one identity (tokens, JWKS, key rotation,
/// login limits) and one registry and CSDR, each change in force on the other node within a second.
@Suite(.postgresServer) struct ClusterIdentityTests {
    static let weather = #"{"id":"weather","kind":"basic","endpoint":"http://127.0.0.1:9/","connectorKey":"weather-key-0123456789abcdef"}"#

    /// Runs `body` with two nodes (A and B) sharing a new database that holds the subscriber alice.
    static func withTwoNodes(_ body: @Sendable (ClusterNode, ClusterNode, String) async throws -> Void) async throws {
        let server = try PostgresTestServer.require()
        var configuration = NodeConfiguration()
        configuration.node.port = 0
        configuration.node.database = server.url(of: try await server.makeDatabase())
        configuration.sessions.retailers = [.init(id: "tests", origins: [testClientOrigin])]
        let database = configuration.node.database
        let shared = configuration
        try await NodeOnPostgresTests.withRunningNode(shared) { nodeA, urlA in
            try await nodeA.store.save(Subscriber(username: "alice", passwordHash: try await demoPasswordHash.value, roles: ["subscriber"]))
            try await NodeOnPostgresTests.withRunningNode(shared) { nodeB, urlB in
                try await body(ClusterNode(node: nodeA, url: urlA), ClusterNode(node: nodeB, url: urlB), database)
            }
        }
    }

    @Test func aTokenFromOneNodeOpensASessionOnTheOtherAndTheKeysAreTheSame() async throws {
        try await Self.withTwoNodes { a, b, _ in
            #expect(a.node.adminToken == b.node.adminToken)
            #expect(try await a.jwks() == b.jwks())
            let token = try await login("alice", at: a.url)
            try await Self.expectSession(at: b.url, token: token)
        }
    }

    @Test func aRotationIsSignedWithByEveryNodeWithinASecondAndOldTokensStillWork() async throws {
        try await Self.withTwoNodes { a, b, database in
            let oldToken = try await login("alice", at: a.url)
            let oldKid = a.node.issuer.signingKey.kid
            var logger = Logger(label: "wse.keys")
            logger.logLevel = .warning
            let rotated = try await SigningKeyAdministration.rotate(.init(database: database, tokenLifetime: .seconds(3600)), logger: logger)
            #expect(rotated.kid != oldKid)
            try await eventually("both nodes sign with the new key", within: .seconds(1)) {
                a.node.issuer.signingKey.kid == rotated.kid && b.node.issuer.signingKey.kid == rotated.kid
            }
            let newToken = try await login("alice", at: b.url)
            #expect(try Self.kid(of: newToken) == rotated.kid)
            let published = try await a.jwks()
            #expect(try await b.jwks() == published)
            #expect(published.contains(oldKid) && published.contains(rotated.kid))
            try await Self.expectSession(at: a.url, token: newToken)
            try await Self.expectSession(at: b.url, token: oldToken)
        }
    }

    @Test func aServiceChangedOnOneNodeIsInForceOnTheOtherWithinASecond() async throws {
        try await Self.withTwoNodes { a, b, _ in
            let admin = ["authorization": "Bearer \(a.node.adminToken)"]
            #expect(try await httpCall("PUT", "\(a.url)/admin/v1/services/weather", body: Self.weather, headers: admin).0 == 201)
            try await eventually("node B admits the service", within: .seconds(1)) { await b.node.registry.get("weather") != nil }
            #expect(try await httpCall("DELETE", "\(a.url)/admin/v1/services/weather", headers: admin).0 == 204)
            try await eventually("node B drops the service", within: .seconds(1)) { await b.node.registry.get("weather") == nil }
        }
    }

    @Test func nodesThatLostTheirListeningConnectionReadEverythingAgain() async throws {
        try await Self.withTwoNodes { a, b, database in
            let server = try PostgresTestServer.require()
            let name = String(database.split(separator: "/").last ?? "")
            let listening = "SELECT pid FROM pg_stat_activity WHERE datname = '\(name)' AND query LIKE 'LISTEN%wse\\_change%'"
            // A node serves before its change listener is in place: wait for both, so that the change below is missed.
            try await eventually("both nodes listen for changes") { (try? await server.execute(listening, in: "postgres").count) == 2 }
            // A change no node hears of (written behind their back, without NOTIFY), as if sent while they were not listening.
            try await server.execute("INSERT INTO service (id, definition) VALUES ('weather', '\(Self.weather)')", in: name)
            #expect(await b.node.registry.get("weather") == nil)
            let killed = try await server.execute("SELECT pg_terminate_backend(pid) FROM (\(listening)) AS listener", in: "postgres")
            #expect(killed.count == 2, "each node listens on a connection of its own")
            try await eventually("both nodes listen again and read the services again") {
                let onA = await a.node.registry.get("weather")
                let onB = await b.node.registry.get("weather")
                return onA != nil && onB != nil
            }
        }
    }

    @Test func aCompositionStoredThroughOneNodeRunsOnTheOther() async throws {
        try await Self.withTwoNodes { a, b, _ in
            let admin = ["authorization": "Bearer \(a.node.adminToken)"]
            let stored = try await httpCall(
                "PUT", "\(a.url)/orchestrator/v1/compositions/greet", body: #""hello""#,
                headers: admin.merging(["content-type": "text/x-orc"]) { $1 })
            #expect(stored.0 == 201, "\(stored.1)")
            let service = #"{"id":"greet","kind":"composed","access":{"roles":["subscriber"]}}"#
            #expect(try await httpCall("PUT", "\(a.url)/admin/v1/services/greet", body: service, headers: admin).0 == 201)
            try await eventually("node B admits the composed service", within: .seconds(1)) { await b.node.registry.get("greet") != nil }

            let token = try await login("alice", at: b.url)
            _ = try await withSocket(b.url) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                #expect(try await socket.next()["type"] == "welcome")
                try await socket.send(["type": "request", "id": "g", "service": "greet", "action": "open"])
                let started = try await socket.next()
                #expect(started["type"] == "response", "\(started)")
                let event = try await socket.next()
                #expect(event["type"] == "event" && event["data"] == "hello", "\(event)")
                #expect(try await socket.next()["reason"] == "done")
            }
        }
    }

    @Test func loginFailuresAreCountedAcrossNodes() async throws {
        try await Self.withTwoNodes { a, b, _ in
            // Six wrong tries at once, three on each node, from one client: only the three free failures
            // of the pair reach a password check; the others are refused at once, whichever node they reach.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for url in [a.url, b.url, a.url, b.url, a.url, b.url] {
                    group.addTask {
                        try await httpCall("POST", "\(url)/idp/token", body: #"{"username":"mallory","password":"guess"}"#).0
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [401, 401, 401, 429, 429, 429])
        }
    }

    /// A session opened with `token` at `url` is welcomed.
    static func expectSession(at url: String, token: String) async throws {
        _ = try await withSocket(url) { socket in
            try await socket.send(["type": "hello", "token": .string(token)])
            let welcome = try await socket.next()
            #expect(welcome["type"] == "welcome", "\(welcome)")
        }
    }

    static func kid(of token: String) throws -> String? {
        let header = String(token.split(separator: ".")[0])
        let padded = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            + String(repeating: "=", count: (4 - header.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { return nil }
        return try JSONValue.parse(String(decoding: data, as: UTF8.self))["kid"]?.stringValue
    }
}

/// One running node of a test cluster and its base URL.
struct ClusterNode: Sendable {
    let node: WSENode
    let url: String

    /// The node's `/idp/jwks.json`.
    func jwks() async throws -> String {
        try await httpCall("GET", "\(url)/idp/jwks.json").1
    }
}
