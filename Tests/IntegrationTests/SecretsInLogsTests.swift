import Foundation
import Logging
import Synchronization
import Testing
import WSECore

/// No secret reaches the logs, even at trace level: passwords (right and wrong), SIP passwords, access tokens, the
/// admin token (and a wrong one), provider keys and connector keys (and a wrong one) pass through every component of
/// the demo deployment while each of its log lines, with metadata, is kept and searched.
@Suite(.serialized) struct SecretsInLogsTests {
    @Test func noPasswordTokenOrKeyIsLoggedAtTraceLevel() async throws {
        let lines = LogCapture()
        var logger = Logger(label: "wse.integration") { label in CapturingLogHandler(label: label, capture: lines) }
        logger.logLevel = .trace
        let secrets = SecretList()
        try await withRunningDemo(logger: logger) { demo in
            let password = "pw-\(RandomID.make(length: 20))"
            let wrongPassword = "wrong-\(RandomID.make(length: 20))"
            let sipPassword = "sip-\(RandomID.make(length: 20))"
            let wrongAdminToken = "admin-\(RandomID.make(length: 24))"
            let wrongConnectorKey = "ck_\(RandomID.make(length: 32))"
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            let dora = #"{"username":"dora","password":"\#(password)","sip":{"uri":"sip:dora@ims.example","password":"\#(sipPassword)"}}"#
            #expect(try await httpCall("POST", "\(demo.nodeURL)/admin/v1/subscribers", body: dora, headers: admin).0 == 201)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/subscribers", headers: ["authorization": "Bearer \(wrongAdminToken)"]).0 == 401)
            let wrongLogin = #"{"username":"dora","password":"\#(wrongPassword)"}"#
            #expect(try await httpCall("POST", "\(demo.nodeURL)/idp/token", body: wrongLogin).0 == 401)
            let token = try await login("dora", password: password, at: demo.nodeURL)
            let provider = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/acme", body: #"{"name":"ACME"}"#, headers: admin).1
            let providerKey = try #require(try JSONValue.parse(provider)["key"]?.stringValue)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/provider/v1/services", headers: ["authorization": "Bearer \(providerKey)"]).0 == 200)
            let push = #"{"pid":"p-1","event":{"n":1}}"#
            #expect(try await httpCall(
                "POST", "\(demo.nodeURL)/connector/in/v1/events", body: push, headers: ["authorization": "Bearer \(wrongConnectorKey)"]).0 == 401)

            // A session of alice (whose contacts and location the demo has) with her token: a call, and a subscription whose events come back through connector IN with the key.
            let aliceToken = try await login("alice", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(aliceToken)])
                #expect(try await socket.next()["type"] == "welcome")
                try await socket.send(["type": "request", "id": "c", "service": "contacts", "action": "list"])
                let listed = try await socket.next()
                #expect(listed["type"] == "response", "\(listed)")
                try await socket.send([
                    "type": "request", "id": "s", "service": "location", "action": "subscribe",
                    "data": ["address": "tel:+15550100002", "interval": 1],
                ])
                let pid = try #require(try await socket.next()["pid"]?.stringValue)
                #expect(try await socket.next(within: 5)["type"] == "event", "an event came through connector IN")
                try await socket.send(["type": "cancel", "pid": .string(pid)])
                while try await socket.next()["type"] == "event" {}
            }
            secrets.add([
                "password": password, "wrong password": wrongPassword, "SIP password": sipPassword, "access token": token,
                "access token's signature": String(token.split(separator: ".").last ?? ""), "alice's access token": aliceToken, "admin token": demo.adminToken,
                "wrong admin token": wrongAdminToken, "provider key": providerKey, "wrong connector key": wrongConnectorKey,
            ])
            for service in await demo.node.registry.list() {
                if let key = service.connectorKey { secrets.add(["connector key of \(service.id)": key]) }
            }
        }
        let logged = lines.all
        // The capture saw the traffic: the components that handled each secret logged while they did.
        let components = Set(logged.compactMap(Self.component))
        #expect(logged.count > 20 && components.isSuperset(of: ["identity", "sessions", "mediator"]), "\(logged.count) lines from \(components.sorted())")
        let named = secrets.all
        #expect(named.count > 9, "every connector key was found: \(named.keys.sorted())")
        for (name, secret) in named.sorted(by: { $0.key < $1.key }) {
            #expect(secret.count >= 16, "\(name) is distinctive enough to search for")
            let leaks = logged.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "the \(name) was logged: \(leaks.prefix(3))")
        }
    }
}

extension SecretsInLogsTests {
    /// The `wse.component` metadata of a captured line.
    static func component(of line: String) -> String? {
        guard let start = line.range(of: "wse.component=") else { return nil }
        return String(line[start.upperBound...].prefix { $0 != " " })
    }
}

/// The secrets a test used, by name, found while the deployment ran and checked after it stopped.
final class SecretList: Sendable {
    private let named = Mutex<[String: String]>([:])

    func add(_ more: [String: String]) { named.withLock { $0.merge(more) { $1 } } }
    var all: [String: String] { named.withLock { $0 } }
}

/// Every log line of a test, as text: level, label, message, metadata (sorted) and source.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        capture.append("\(event.level) \(label) \(event.message) \(fields) \(event.source)")
    }
}
