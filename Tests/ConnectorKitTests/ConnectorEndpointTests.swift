import ConnectorKit
import Hummingbird
import Testing
import WSECore
import WSETesting

/// The connector OUT side the connectors share, served on loopback with a handler that echoes the call.
@Suite("connector endpoint: key, size and body checks before any handler runs")
struct ConnectorEndpointTests {
    static let key = "kit-key"

    static func withEndpoint(_ body: (String) async throws -> Void) async throws {
        let router = Router()
        ConnectorEndpoint(key: key).addRoutes(to: router) { call throws(ConnectorError) in
            .json(.ok, ["data": ["pid": .string(call.pid), "user": .string(call.user), "data": call.data]])
        }
        let signal = PortSignal()
        let onRunning = signal.onRunning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await onRunning($0.localAddress?.port ?? 0) })
        try await serve(app, signal) { port in try await body("http://127.0.0.1:\(port)") }
    }

    @Test("a good call reaches the handler decoded; data defaults to {}")
    func decoded() async throws {
        try await Self.withEndpoint { url in
            let result = try await http(.POST, url + "/v1/requests", json: ["pid": "p1", "service": "s", "action": "a", "user": "alice"],
                                        headers: [("Authorization", "Bearer \(Self.key)")])
            #expect(result.status == 200)
            #expect(result.json?["data"] == ["pid": "p1", "user": "alice", "data": [:]])
            #expect(try await http(.GET, url + "/healthz").json == ["status": "ok"])
        }
    }

    @Test("a wrong key, a key that is a prefix, a bad body and a body too big are refused with their codes")
    func refused() async throws {
        try await Self.withEndpoint { url in
            let call: JSONValue = ["pid": "p1", "service": "s", "action": "a", "user": "alice"]
            for key in ["", "kit", "kit-key-and-more", "wrong"] {
                let result = try await http(.POST, url + "/v1/requests", json: call, headers: [("Authorization", "Bearer \(key)")])
                #expect(result.status == 401, "key \(key)")
                #expect(result.json?["error"]?["code"] == "unauthorized")
            }
            let auth = [("Authorization", "Bearer \(Self.key)")]
            let noUser = try await http(.POST, url + "/v1/requests", json: ["pid": "p1", "service": "s", "action": "a"], headers: auth)
            #expect(noUser.status == 400)
            #expect(noUser.json?["error"]?["message"] == "missing field user")
            let huge = try await http(.POST, url + "/v1/requests", text: String(repeating: " ", count: ConnectorEndpoint.maxCallBody + 1), headers: auth)
            #expect(huge.status == 413)
            #expect(huge.json?["error"]?["code"] == "too_big")
        }
    }
}
