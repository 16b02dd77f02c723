import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Synchronization
import Testing

/// An OIDC provider's JWKS endpoint on a real loopback port: the document (or failure) it serves
/// can be changed during the test, and it counts the fetches.
final class JWKSServer: Sendable {
    private let answer = Mutex<(status: HTTPResponse.Status, body: String)>((.ok, #"{"keys":[]}"#))
    private let fetchCount = Mutex(0)

    var fetches: Int { fetchCount.withLock { $0 } }

    func serve(_ keys: [JWK]) throws {
        let body = String(decoding: try JSONEncoder().encode(JWKS(keys: keys)), as: UTF8.self)
        answer.withLock { $0 = (.ok, body) }
    }

    func fail(_ status: HTTPResponse.Status, body: String = "") {
        answer.withLock { $0 = (status, body) }
    }

    /// Runs the server on an OS-chosen loopback port and calls `body` with the JWKS URL.
    @discardableResult
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/realms/wse/certs") { _, _ in
            let (status, text) = self.answer.withLock { $0 }
            self.fetchCount.withLock { $0 += 1 }
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return try await Application(router: router).test(.live) { client in
            let port = try #require(client.port, "the live test server reported no port")
            return try await body("http://127.0.0.1:\(port)/realms/wse/certs")
        }
    }
}
