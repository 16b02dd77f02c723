import Foundation
import Hummingbird
import HummingbirdTesting
import Mediator
import Storage
import Testing
import WSECore
@testable import WSEApp

/// Every admin and provider write reads at most 64 KiB of JSON: past it 413 `too_large` (as openapi.yaml says),
/// whether the body announces its length or not; below it a body of the wrong shape is 400 `bad_request`.
@Suite struct AdminBodyLimitTests {
    /// A service definition followed by white space (valid JSON) up to `bytes` bytes or more.
    static func service(paddedTo bytes: Int) -> String {
        #"{"id":"weather","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef","timeout":1}"#
            + String(repeating: " ", count: bytes)
    }

    static func adminRoutes() async throws -> some ApplicationProtocol {
        let store = try SQLiteStore.inMemory()
        let registry = ServiceRegistry(store: store, configuration: MediatorConfiguration(callbackURL: "http://127.0.0.1:9/connector/in/v1/events"))
        try await registry.load()
        let router = Router()
        let admin = router.group("/admin/v1")
        AdminServiceRoutes(registry: registry, audit: store).addRoutes(to: admin)
        AdminPartyRoutes(store: store).addRoutes(to: admin)
        return Application(router: router)
    }

    @Test(arguments: [true, false])
    func aBodyPastTheLimitIs413(announcingItsLength: Bool) async throws {
        let oversized = Self.service(paddedTo: JSONRequestBody.maxBytes)
        try await Self.adminRoutes().test(.router) { client in
            for path in ["/admin/v1/services/weather", "/admin/v1/providers/acme", "/admin/v1/retailers/shop"] {
                // Without a Content-Length the body arrives chunked, and the limit is found while reading it.
                let headers: HTTPFields = announcingItsLength ? [.contentLength: "\(oversized.utf8.count)"] : [.transferEncoding: "chunked"]
                try await client.execute(uri: path, method: .put, headers: headers, body: ByteBuffer(string: oversized)) { response in
                    #expect(response.status == .contentTooLarge, "\(path)")
                    #expect(String(buffer: response.body).contains(#""code":"too_large""#), "\(path)")
                }
            }
        }
    }

    @Test func aBodyWithinTheLimitIsReadAndJudgedByItsShape() async throws {
        try await Self.adminRoutes().test(.router) { client in
            try await client.execute(uri: "/admin/v1/services/weather", method: .put, body: ByteBuffer(string: Self.service(paddedTo: 60 * 1024))) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/admin/v1/providers/acme", method: .put, body: ByteBuffer(string: #"{"nom":"ACME"}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains(#""code":"bad_request""#))
            }
        }
    }
}
