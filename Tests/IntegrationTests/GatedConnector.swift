import Hummingbird
import WSECore
import WSETesting

/// A service connector that accepts every call (202), except action `slow`, which it answers (200, data
/// `"late"`) only once the test calls ``answer()``.
struct GatedConnector {
    private let calls = AsyncStream.makeStream(of: Void.self)
    private let gate = AsyncStream.makeStream(of: Void.self)

    /// Returns once the connector got a `slow` call.
    func called() async {
        for await _ in calls.stream { return }
    }

    /// Lets the `slow` call be answered.
    func answer() { gate.continuation.yield() }

    /// Serves on a free port while `body` runs.
    func serve<Result: Sendable>(_ body: (String) async throws -> Result) async throws -> Result {
        let router = Router()
        let (calls, gate) = (calls.continuation, gate.stream)
        router.post("/v1/requests") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard (try? JSONValue.parse(String(buffer: body)))?["action"] == "slow" else {
                return Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: "{}")))
            }
            calls.yield()
            for await _ in gate { break }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"data":"late"}"#)))
        }
        let signal = PortSignal()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { channel in
            await signal.onRunning(channel.localAddress?.port ?? 0)
        })
        return try await WSETesting.serve(app, signal) { port in try await body("http://127.0.0.1:\(port)") }
    }
}
