import Demo
import Foundation
import Testing
import WSEApp
import WSECore

/// Subscribers through the admin API (docs/PROTOCOL-EXTENSIONS.md) and the IMS connector's lookup of their SIP identity.
@Suite(.serialized) struct SubscriberAdministrationTests {
    @Test func subscribersAreManagedWithTheirSIPIdentityAndDuplicatesAreRefused() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            let dave = #"{"username":"dave","password":"pw-dave","sip":{"uri":"sip:dave@ims.example","password":"sip-dave"}}"#
            let (created, body) = try await httpCall("POST", "\(demo.nodeURL)/admin/v1/subscribers", body: dave, headers: admin)
            #expect(created == 201 && body.contains(#""sipRealm":"ims.example""#) && !body.contains("sip-dave"), "\(body)")
            let (duplicate, refusal) = try await httpCall("POST", "\(demo.nodeURL)/admin/v1/subscribers", body: dave, headers: admin)
            #expect(duplicate == 409 && refusal.contains("duplicate_subscriber") && refusal.contains("dave"), "\(refusal)")
            let badURI = #"{"username":"eve","password":"pw","sip":{"uri":"dave","password":"x"}}"#
            #expect(try await httpCall("POST", "\(demo.nodeURL)/admin/v1/subscribers", body: badURI, headers: admin).0 == 422)
            #expect(try await httpCall("POST", "\(demo.nodeURL)/admin/v1/subscribers", body: dave).0 == 401)

            let stored = try #require(try await demo.node.store.subscriber(named: "dave"))
            #expect(stored.sipHA1 == Subscriber.digestHA1(authUser: "dave", realm: "ims.example", password: "sip-dave"))
            #expect(!stored.passwordHash.contains("pw-dave"))
            _ = try await login("dave", password: "pw-dave", at: demo.nodeURL)

            let (listed, list) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/subscribers", headers: admin)
            #expect(listed == 200 && list.contains(#""username":"dave""#) && list.contains(#""username":"alice""#) && !list.contains("pbkdf2"), "\(list)")

            // The IMS connector's lookup: a connector key of the operator's own services, not the admin token.
            let sipKey = try #require(await demo.node.registry.get("sip")?.connectorKey)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/connector/v1/subscribers/dave/sip", headers: admin).0 == 401)
            let (found, credentials) = try await httpCall("GET", "\(demo.nodeURL)/connector/v1/subscribers/dave/sip", headers: ["authorization": "Bearer \(sipKey)"])
            #expect(found == 200 && credentials.contains(stored.sipHA1 ?? "?") && credentials.contains(#""authUser":"dave""#), "\(credentials)")
            #expect(try await httpCall("GET", "\(demo.nodeURL)/connector/v1/subscribers/nobody/sip", headers: ["authorization": "Bearer \(sipKey)"]).0 == 404)

            // A provider's connector never reads SIP credentials.
            let acme = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/acme", body: #"{"name":"ACME"}"#, headers: admin).1
            let providerKey = try #require(try JSONValue.parse(acme)["key"]?.stringValue)
            let weather = #"{"id":"weather","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"provider-connector-key-0123456789"}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/provider/v1/services/weather", body: weather, headers: ["authorization": "Bearer \(providerKey)"]).0 == 201)
            #expect(try await httpCall("GET", "\(demo.nodeURL)/connector/v1/subscribers/dave/sip", headers: ["authorization": "Bearer provider-connector-key-0123456789"]).0 == 403)

            #expect(try await httpCall("PATCH", "\(demo.nodeURL)/admin/v1/subscribers/dave", body: #"{"password":"n3w"}"#, headers: admin).0 == 204)
            _ = try await login("dave", password: "n3w", at: demo.nodeURL)
            #expect(try await httpCall("PATCH", "\(demo.nodeURL)/admin/v1/subscribers/nobody", body: #"{"password":"x"}"#, headers: admin).0 == 404)
            #expect(try await httpCall("DELETE", "\(demo.nodeURL)/admin/v1/subscribers/dave", headers: admin).0 == 204)
            #expect(try await httpCall("DELETE", "\(demo.nodeURL)/admin/v1/subscribers/dave", headers: admin).0 == 404)
            let audit = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/audit", headers: admin).1
            let actions = (try JSONValue.parse(audit)["entries"]?.arrayValue ?? []).filter { $0["target"] == "dave" }.compactMap { $0["action"]?.stringValue }
            #expect(actions == ["subscriber.delete", "subscriber.update", "subscriber.create"], "\(audit)")
            #expect(!audit.contains("sip-dave") && !audit.contains("n3w"), "no password reaches the audit log")
        }
    }
}
