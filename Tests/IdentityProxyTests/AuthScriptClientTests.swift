import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import IdentityProxy
import IdentityProxyTesting
import WSECore

/// auth.js on a retailer's page sends the retailer's client id (`data-client-id` on its script tag) with each
/// login; the identity proxy checks it against the retailer's origins before putting it in the token as `azp`.
@Suite struct AuthScriptClientTests {
    /// One retailer, `shop`, whose pages are at https://shop.example.
    final class OneRetailer: PartyStore {
        let shop = RetailerAccount(id: "shop", name: "Shop", origins: ["https://shop.example"], clientID: "rc_shop")
        func providers() async throws(StoreError) -> [ProviderAccount] { [] }
        func provider(id: String) async throws(StoreError) -> ProviderAccount? { nil }
        func provider(keyHash: String) async throws(StoreError) -> ProviderAccount? { nil }
        func save(_ provider: ProviderAccount, audit: AuditEntry) async throws(StoreError) {}
        func retailers() async throws(StoreError) -> [RetailerAccount] { [shop] }
        func retailer(clientID: String) async throws(StoreError) -> RetailerAccount? { clientID == shop.clientID ? shop : nil }
        func save(_ retailer: RetailerAccount, audit: AuditEntry) async throws(StoreError) {}
        func record(_ audit: AuditEntry) async throws(StoreError) {}
        func auditEntries(limit: Int) async throws(StoreError) -> [AuditEntry] { [] }
    }

    /// Node's fetch sends no Origin, as a script outside a browser would not: the client id is then refused,
    /// which shows it was sent (the same login without a client id succeeds: `AuthScriptTests`).
    static let page = #"""
    const base = process.env.WSE_BASE;
    globalThis.sessionStorage = { getItem: () => null, setItem: () => {}, removeItem: () => {} };
    globalThis.document = { currentScript: { src: base + "/idp/auth.js", getAttribute: (name) => (name === "data-client-id" ? "rc_shop" : null) } };
    (0, eval)(await (await fetch(base + "/idp/auth.js")).text());
    const out = { clientId: WSEAuth.clientId };
    try { await WSEAuth.login("alice", "demo"); out.withClient = "resolved"; } catch (e) { out.withClient = e.code; }
    try { await WSEAuth.login("alice", "demo", { clientId: "rc_nobody" }); out.unknown = "resolved"; } catch (e) { out.unknown = e.code; }
    console.log(JSON.stringify(out));
    """#

    @Test func theScriptSendsTheRetailersClientId() async throws {
        let kit = try await IdentityTestKit.make(username: "alice", password: "demo")
        let router = Router()
        IdentityRoutes(issuer: kit.issuer, retailers: OneRetailer()).addRoutes(to: router)
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let output = try await AuthScriptTests.runNode(Self.page, environment: ["WSE_BASE": "http://127.0.0.1:\(port)"])
            let result = try JSONValue.parse(output.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(result["clientId"] == "rc_shop")
            #expect(result["withClient"] == "origin_not_allowed", "\(output)")
            #expect(result["unknown"] == "unknown_client", "\(output)")
        }
    }
}
