import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WSECore

/// A service connector on loopback that misbehaves on demand: one route per behaviour under `/<behaviour>`.
enum FakeConnectorServer {
    static let key = "connector-secret"

    actor Log {
        var cancelled: [String] = []
        /// Calls that reached `/slow` and wait for `releaseSlowCalls()`.
        var slowCalls = 0
        private let (slowRelease, releaser) = AsyncStream.makeStream(of: Void.self)

        func cancel(_ pid: String) { cancelled.append(pid) }

        func holdSlowCall() async {
            slowCalls += 1
            for await _ in slowRelease {}
        }

        /// Lets every `/slow` call answer, so that the server can stop.
        func releaseSlowCalls() { releaser.finish() }
    }

    /// Runs the fake on an OS-assigned loopback port and calls `body` with its base URL.
    static func run(log: Log = Log(), _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/ok/v1/requests") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer \(key)" else {
                return json(.unauthorized, #"{"error":{"code":"unauthorized","message":"wrong connector key"}}"#)
            }
            let call = try JSONValue.parse(try await request.body.collect(upTo: 1 << 16).readableBytesView)
            return json(.ok, JSONValue.object(["data": ["received": call]]).jsonText)
        }
        router.post("/async/v1/requests") { _, _ in json(.accepted, "{}") }
        router.delete("/async/v1/requests/{pid}") { _, context -> Response in
            await log.cancel(context.parameters.get("pid") ?? "")
            return Response(status: .noContent)
        }
        router.post("/bad/v1/requests") { _, _ in
            json(.badRequest, #"{"error":{"code":"bad_request","message":"address missing"}}"#)
        }
        router.post("/maintenance/v1/requests") { _, _ in
            json(.serviceUnavailable, #"{"error":{"code":"maintenance","message":"back soon"}}"#)
        }
        router.post("/plain500/v1/requests") { _, _ in
            Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "boom\n")))
        }
        router.post("/garbage/v1/requests") { _, _ in json(.ok, "<html>hello</html>") }
        router.post("/nodata/v1/requests") { _, _ in json(.ok, #"{"result":1}"#) }
        router.post("/created/v1/requests") { _, _ in json(.created, #"{"data":1}"#) }
        router.post("/huge/v1/requests") { _, _ in
            json(.ok, #"{"data":""# + String(repeating: "x", count: 4096) + #""}"#)
        }
        router.post("/slow/v1/requests") { _, _ -> Response in
            // A connector that answers only when the test lets it, so a timeout can only be the client's.
            await log.holdSlowCall()
            return json(.ok, #"{"data":"late"}"#)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
