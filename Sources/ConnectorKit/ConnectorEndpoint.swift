import Hummingbird
import WSECore

/// The connector OUT side that every HTTP service connector serves the same way: the key
/// check, `POST /v1/requests` (body size, decoding), `GET /healthz`, and errors as
/// `{"error":{"code","message"}}`. A connector adds what it does with a call.
package struct ConnectorEndpoint: Sendable {
    /// The key shared with the WSE node, expected as `Authorization: Bearer <key>`.
    package let key: String

    /// Connector OUT bodies are small; anything larger is refused with 413.
    package static let maxCallBody = 1 << 20

    package init(key: String) { self.key = key }

    /// Adds `GET /healthz` and `POST /v1/requests`, whose decoded calls go to `handle`.
    package func addRoutes(
        to router: Router<BasicRequestContext>, handle: @escaping @Sendable (CallRequest) async throws(ConnectorError) -> Response
    ) {
        router.get("/healthz") { _, _ in Response.json(.ok, ["status": "ok"]) }
        router.post("/v1/requests") { request, _ in
            await Self.answer { () async throws(ConnectorError) -> Response in
                try authorize(request)
                return try await handle(try await Self.call(in: request))
            }
        }
    }

    /// Runs a handler and answers its error as the error body.
    package static func answer(_ handler: () async throws(ConnectorError) -> Response) async -> Response {
        do {
            return try await handler()
        } catch {
            return error.response
        }
    }

    package func authorize(_ request: Request) throws(ConnectorError) {
        let given = Array((request.headers[.authorization] ?? "").utf8)
        let expected = Array("Bearer \(key)".utf8)
        // Compare every byte so that the time taken does not reveal how much of the key matched.
        var difference = given.count ^ expected.count
        for index in expected.indices { difference |= Int(expected[index] ^ (index < given.count ? given[index] : 0)) }
        guard difference == 0 else { throw .unauthorized }
    }

    private static func call(in request: Request) async throws(ConnectorError) -> CallRequest {
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: maxCallBody)
        } catch {
            throw ConnectorError(status: .contentTooLarge, code: "too_big", message: "the request body is larger than \(maxCallBody) bytes")
        }
        return try CallRequest(parsing: bytes.readableBytesView)
    }
}
