import Demo
import Foundation
import Testing
import WSEApp
import WSECore
import WSETesting

/// Providers and retailers on board through the admin API (PROTOCOL.md 1.1, "Broker interfaces"): a provider's
/// key changes only its own services, every change is audited, and a retailer is bound to the token (`azp`).
@Suite(.serialized) struct BrokerPartiesTests {
    static let weather = #"{"id":"weather","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef","timeout":1}"#

    @Test func aProviderManagesOnlyItsOwnServicesAndEveryChangeIsAudited() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            let (created, acme) = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/acme", body: #"{"name":"ACME"}"#, headers: admin)
            #expect(created == 201, "\(acme)")
            let acmeKey = try #require(try JSONValue.parse(acme)["key"]?.stringValue)
            let (updated, renamed) = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/acme", body: #"{"name":"ACME Ltd"}"#, headers: admin)
            #expect(updated == 200 && !renamed.contains("\"key\""), "the key is shown once, at creation: \(renamed)")
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/acme", body: #"{"name":"x"}"#).0 == 401)
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/acme", body: #"{"nom":"x"}"#, headers: admin).0 == 400)
            let globexKey = try #require(try JSONValue.parse(
                try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/globex", body: #"{"name":"Globex"}"#, headers: admin).1)["key"]?.stringValue)

            let acmeAuth = ["authorization": "Bearer \(acmeKey)"]
            let globexAuth = ["authorization": "Bearer \(globexKey)"]
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/provider/v1/services/weather", body: Self.weather).0 == 401)
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/provider/v1/services/weather", body: Self.weather, headers: ["authorization": "Bearer pk_wrong"]).0 == 401)
            let (registered, entry) = try await httpCall("PUT", "\(demo.nodeURL)/provider/v1/services/weather", body: Self.weather, headers: acmeAuth)
            #expect(registered == 201 && entry.contains(#""provider":"acme""#), "\(entry)")
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/provider/v1/services/weather", body: Self.weather, headers: acmeAuth).0 == 200)

            // Bad input: another provider's service, and the operator's own.
            let (stolen, refusal) = try await httpCall("PUT", "\(demo.nodeURL)/provider/v1/services/weather", body: Self.weather, headers: globexAuth)
            #expect(stolen == 403 && refusal.contains(#""code":"forbidden""#), "\(refusal)")
            #expect(try await httpCall("DELETE", "\(demo.nodeURL)/provider/v1/services/weather", headers: globexAuth).0 == 403)
            let contacts = #"{"id":"contacts","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef"}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/provider/v1/services/contacts", body: contacts, headers: acmeAuth).0 == 403)

            let (listed, own) = try await httpCall("GET", "\(demo.nodeURL)/provider/v1/services", headers: acmeAuth)
            #expect(listed == 200 && own.contains(#""id":"weather""#) && !own.contains(#""id":"contacts""#), "\(own)")
            #expect(try await httpCall("GET", "\(demo.nodeURL)/provider/v1/services", headers: globexAuth).1.contains("weather") == false)
            #expect(try await httpCall("DELETE", "\(demo.nodeURL)/provider/v1/services/weather", headers: acmeAuth).0 == 204)
            #expect(await demo.node.registry.get("weather") == nil)

            let (audited, log) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/audit", headers: admin)
            #expect(audited == 200)
            let entries = try JSONValue.parse(log)["entries"]?.arrayValue ?? []
            let summary = entries.map { "\($0["actor"]?.stringValue ?? "") \($0["action"]?.stringValue ?? "") \($0["target"]?.stringValue ?? "")" }
            #expect(summary == [
                "provider:acme service.delete weather", "provider:acme service.put weather", "provider:acme service.put weather",
                "admin provider.create globex", "admin provider.update acme", "admin provider.create acme",
                "demo retailer.create demo",  // the demo puts its retailer site on board at start
            ], "\(summary)")
            #expect(entries.allSatisfy { $0["at"]?.stringValue?.hasSuffix("Z") == true }, "times are RFC 3339")
            #expect(!log.contains(acmeKey) && !log.contains(globexKey), "keys never reach the audit log")

            // The operator's own service changes are audited too.
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/weather", body: Self.weather, headers: admin).0 == 201)
            #expect(try await httpCall("DELETE", "\(demo.nodeURL)/admin/v1/services/weather", headers: admin).0 == 204)
            let newest = try JSONValue.parse(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/audit?limit=2", headers: admin).1)["entries"]?.arrayValue ?? []
            #expect(newest.map { "\($0["actor"]?.stringValue ?? "") \($0["action"]?.stringValue ?? "")" } == ["admin service.delete", "admin service.put"])
        }
    }

    @Test func aRetailerIsCheckedAtLoginAndItsTokenCarriesItsClientId() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            let (created, shop) = try await httpCall(
                "PUT", "\(demo.nodeURL)/admin/v1/retailers/shop", body: #"{"name":"Shop","origins":["https://shop.example"]}"#, headers: admin)
            #expect(created == 201, "\(shop)")
            let clientID = try #require(try JSONValue.parse(shop)["clientId"]?.stringValue)
            let (again, same) = try await httpCall(
                "PUT", "\(demo.nodeURL)/admin/v1/retailers/shop", body: #"{"name":"Shop","origins":["https://shop.example","https://m.shop.example"]}"#,
                headers: admin)
            #expect(again == 200 && same.contains(clientID), "an update keeps the client id: \(same)")
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/retailers/bad", body: #"{"name":"B","origins":["https://x.example/path"]}"#, headers: admin).0 == 422)

            let credentials = #"{"username":"alice","password":"\#(DemoDeployment.password)","client_id":"\#(clientID)"}"#
            let (allowed, answer) = try await httpCall("POST", "\(demo.nodeURL)/idp/token", body: credentials, headers: ["origin": "https://m.shop.example"])
            #expect(allowed == 200, "\(answer)")
            let token = try #require(try JSONValue.parse(answer)["access_token"]?.stringValue)
            #expect(try Self.claims(of: token)["azp"]?.stringValue == clientID)

            let (foreign, refusal) = try await httpCall("POST", "\(demo.nodeURL)/idp/token", body: credentials, headers: ["origin": "https://evil.example"])
            #expect(foreign == 403 && refusal.contains("origin_not_allowed"), "\(refusal)")
            #expect(try await httpCall("POST", "\(demo.nodeURL)/idp/token", body: credentials).0 == 403, "a client id needs the page's Origin")
            let unknown = #"{"username":"alice","password":"\#(DemoDeployment.password)","client_id":"rc_nobody"}"#
            let (unknownStatus, unknownBody) = try await httpCall("POST", "\(demo.nodeURL)/idp/token", body: unknown, headers: ["origin": "https://shop.example"])
            #expect(unknownStatus == 400 && unknownBody.contains("unknown_client"), "\(unknownBody)")
            #expect(try Self.claims(of: try await login("alice", at: demo.nodeURL))["azp"] == nil, "a login without a client id has no azp")
        }
    }

    /// The claims of a compact JWT.
    static func claims(of token: String) throws -> JSONValue {
        let part = String(token.split(separator: ".")[1])
        let padded = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            + String(repeating: "=", count: (4 - part.count % 4) % 4)
        return try JSONValue.parse(String(decoding: try #require(Data(base64Encoded: padded)), as: UTF8.self))
    }
}
