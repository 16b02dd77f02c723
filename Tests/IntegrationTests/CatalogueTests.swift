import Demo
import Foundation
import Testing
import WSEApp
import WSECore

/// `GET /catalogue/v1/services` lists what the caller may use, each service with its description and schemas;
/// a retailer reading a service it may not use is refused with 403 `forbidden`.
@Suite(.serialized) struct CatalogueTests {
    static func ids(_ body: String) throws -> [String] {
        (try JSONValue.parse(body)["services"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    @Test func eachCallerSeesWhatItMayUseWithDescriptionsAndSchemas() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            let (status, everything) = try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services", headers: admin)
            #expect(status == 200)
            #expect(try Self.ids(everything) == ["contacts", "eab", "location", "sip", "sms"], "\(everything)")
            let services = try JSONValue.parse(everything)["services"]?.arrayValue ?? []
            let eab = try #require(services.first { $0["id"] == "eab" })
            #expect(eab["kind"] == "composed" && eab["title"] == "Enhanced Address Book", "the composition describes itself")
            #expect(eab["actions"]?.arrayValue?.first?["events"]?["properties"]?["presence"] != nil)
            let location = try #require(services.first { $0["id"] == "location" })
            #expect(location["actions"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["get", "subscribe"])
            #expect(location["actions"]?.arrayValue?.first?["request"]?["required"] == ["address"])
            let sms = try #require(services.first { $0["id"] == "sms" })
            #expect(sms["actions"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["send", "status"])
            #expect(sms["actions"]?.arrayValue?.first?["request"]?["required"] == ["to", "text"])
            #expect(services.allSatisfy { !($0["description"]?.stringValue ?? "").isEmpty && $0["terms"] != nil }, "every demo service is described")

            // A service only the shop's pages may use.
            let shop = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/retailers/shop", body: #"{"name":"Shop","origins":["https://shop.example"]}"#, headers: admin).1
            let shopClient = try #require(try JSONValue.parse(shop)["clientId"]?.stringValue)
            let other = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/retailers/other", body: #"{"name":"Other","origins":["https://other.example"]}"#, headers: admin).1
            let otherClient = try #require(try JSONValue.parse(other)["clientId"]?.stringValue)
            let only = #"{"id":"shop-only","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef","access":{"retailers":["shop"]},"catalogue":{"title":"Loyalty points","description":"The shop's own.","actions":[]}}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/shop-only", body: only, headers: admin).0 == 201)

            let alice = try await login("alice", at: demo.nodeURL)
            #expect(try Self.ids(try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services", headers: ["authorization": "Bearer \(alice)"]).1)
                == ["contacts", "eab", "location", "sip", "sms"], "a session outside the shop's pages may not use shop-only")
            let shopIDs = try Self.ids(try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services", headers: ["authorization": "Bearer \(shopClient)"]).1)
            #expect(shopIDs.contains("shop-only") && shopIDs.contains("contacts"), "\(shopIDs)")
            #expect(try Self.ids(try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services", headers: ["authorization": "Bearer \(otherClient)"]).1)
                .contains("shop-only") == false)

            // Bad input: a retailer reading a service it has not subscribed to.
            let (refused, refusal) = try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services/shop-only", headers: ["authorization": "Bearer \(otherClient)"])
            #expect(refused == 403 && refusal.contains(#""code":"forbidden""#), "\(refusal)")
            let (allowed, entry) = try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services/shop-only", headers: ["authorization": "Bearer \(shopClient)"])
            #expect(allowed == 200 && entry.contains("Loyalty points"), "\(entry)")
            #expect(try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services").0 == 401)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services", headers: ["authorization": "Bearer rc_unknown"]).0 == 401)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/catalogue/v1/services/nothing", headers: admin).0 == 404)

            let (page, html) = try await httpCall("GET", "\(demo.nodeURL)/catalogue/")
            #expect(page == 200 && html.contains("catalogue.js"))
        }
    }
}
