import Hummingbird
import HummingbirdTesting
import Testing
import WSECore
@testable import WSEApp

/// A store that fails answers the parties' routes with `500 store_failed` and its message.
@Suite struct StoreFailureRoutesTests {
    struct FailingParties: PartyStore {
        static let failure = StoreError("PostgreSQL is not reachable; start it, or fix node.database")
        func providers() async throws(StoreError) -> [ProviderAccount] { throw Self.failure }
        func provider(id: String) async throws(StoreError) -> ProviderAccount? { throw Self.failure }
        func provider(keyHash: String) async throws(StoreError) -> ProviderAccount? { throw Self.failure }
        func save(_ provider: ProviderAccount, audit: AuditEntry) async throws(StoreError) { throw Self.failure }
        func retailers() async throws(StoreError) -> [RetailerAccount] { throw Self.failure }
        func retailer(clientID: String) async throws(StoreError) -> RetailerAccount? { throw Self.failure }
        func save(_ retailer: RetailerAccount, audit: AuditEntry) async throws(StoreError) { throw Self.failure }
        func record(_ audit: AuditEntry) async throws(StoreError) { throw Self.failure }
        func auditEntries(limit: Int) async throws(StoreError) -> [AuditEntry] { throw Self.failure }
    }

    @Test func aFailingStoreIs500StoreFailedWithItsMessage() async throws {
        let router = Router()
        AdminPartyRoutes(store: FailingParties()).addRoutes(to: router.group("/admin/v1").add(middleware: StoreFailureMiddleware()))
        try await Application(router: router).test(.router) { client in
            for (method, path) in [(HTTPRequest.Method.put, "/admin/v1/providers/acme"), (.get, "/admin/v1/retailers"), (.get, "/admin/v1/audit")] {
                try await client.execute(uri: path, method: method, body: ByteBuffer(string: #"{"name":"ACME"}"#)) { response in
                    #expect(response.status == .internalServerError)
                    #expect(String(buffer: response.body).contains(#""code":"store_failed""#))
                    #expect(String(buffer: response.body).contains("not reachable"))
                }
            }
        }
    }
}
