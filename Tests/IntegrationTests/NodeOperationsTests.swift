import Foundation
import IdentityProxy
import Testing
import WSEApp
import WSECore

/// The operator's side of a node: health, metrics, browser libraries, the admin API and configuration errors.
@Suite(.serialized) struct NodeOperationsTests {
    @Test func healthMetricsAndBrowserLibrariesAreServed() async throws {
        try await withRunningDemo { demo in
            let (health, body) = try await httpCall("GET", "\(demo.nodeURL)/healthz")
            #expect(health == 200 && body.contains(#""status":"ok""#))
            #expect(try await httpCall("GET", "\(demo.nodeURL)/metrics").0 == 401, "/metrics asks for a token")
            let (metrics, text) = try await httpCall("GET", "\(demo.nodeURL)/metrics", headers: ["authorization": "Bearer \(demo.adminToken)"])
            #expect(metrics == 200 && text.contains("# TYPE"))
            let (script, library) = try await httpCall("GET", "\(demo.nodeURL)/js/wse.js")
            #expect(script == 200 && library.contains("registerModule"))
            #expect(try await httpCall("GET", "\(demo.nodeURL)/js/modules/sip.js").0 == 200)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/idp/jwks.json").1.contains("\"keys\""))
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/").1.contains("<"))
            let (configStatus, config) = try await httpCall("GET", "\(demo.retailerURL)/config.js")
            #expect(configStatus == 200 && config.contains(demo.nodeURL), "the retailer page learns where the node is")
        }
    }

    @Test func theAdminAPIManagesServicesBehindTheAdminToken() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/services").0 == 401)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/services", headers: ["authorization": "Bearer wrong"]).0 == 401)

            let (listed, list) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/services", headers: admin)
            #expect(listed == 200 && list.contains(#""id":"contacts""#) && list.contains(#""id":"location""#))
            #expect(!list.contains("ck_"), "connector keys never leave the node")

            let weather = #"{"id":"weather","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef","timeout":1}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/weather", body: weather, headers: admin).0 == 201)
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/other", body: weather, headers: admin).0 == 400)
            let invalid = #"{"id":"broken","kind":"basic"}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/broken", body: invalid, headers: admin).0 == 422)
            let weakKey = #"{"id":"weak","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"k"}"#
            let (weakStatus, weakBody) = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/weak", body: weakKey, headers: admin)
            #expect(weakStatus == 422 && weakBody.contains("too weak"), "\(weakBody)")
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/x", body: "[", headers: admin).0 == 400)

            // A service whose connector is down answers `unavailable`; the session goes on.
            let token = try await login("alice", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                _ = try await socket.next()
                try await socket.send(["type": "request", "id": "w", "service": "weather", "action": "now"])
                let down = try await socket.next()
                #expect(down["type"] == "error" && down["code"] == "unavailable", "\(down)")
                try await socket.send(["type": "request", "id": "c", "service": "contacts", "action": "list"])
                #expect(try await socket.next()["type"] == "response")
            }
            let (overviewStatus, overview) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/overview", headers: admin)
            let numbers = try JSONValue.parse(overview)
            #expect(overviewStatus == 200 && numbers["traffic"]?["basicRequests"]?.intValue ?? 0 >= 2, "\(overview)")
            #expect(numbers["services"]?.arrayValue?.contains { $0["id"] == "weather" && ($0["errors"]?["unavailable"]?.intValue ?? 0) >= 1 } == true)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/overview").0 == 401)
            #expect(try await httpCall("DELETE", "\(demo.nodeURL)/admin/v1/services/weather", headers: admin).0 == 204)
            #expect(try await httpCall("DELETE", "\(demo.nodeURL)/admin/v1/services/weather", headers: admin).0 == 404)
        }
    }
}
