import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import WSECore

/// Latency summary in milliseconds.
func percentiles(_ samples: [Duration]) -> String {
    let ms = samples.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
    func at(_ p: Double) -> Double { ms[min(ms.count - 1, Int(Double(ms.count) * p))] }
    return String(format: "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)", at(0.5), at(0.9), at(0.99),
                  ms.last ?? 0, ms.count)
}

/// Runs `work` for every item with at most `width` in flight.
func forEachConcurrently<T: Sendable>(_ items: [T], width: Int, _ work: @escaping @Sendable (T) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var iterator = items.makeIterator()
        for _ in 0..<width {
            guard let item = iterator.next() else { break }
            group.addTask { try await work(item) }
        }
        while try await group.next() != nil {
            if let item = iterator.next() { group.addTask { try await work(item) } }
        }
    }
}

/// A connector IN stand-in: hands every pushed body to `onPush` with its arrival time.
func startConnectorIN(onPush: @escaping @Sendable (JSONValue, ContinuousClock.Instant) async -> Void) async throws -> Int {
    let router = Router()
    router.post("/connector/in/v1/events") { request, _ -> Response in
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let arrived = ContinuousClock.now
        await onPush(try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)), arrived)
        return Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: #"{"delivered":1}"#)))
    }
    let ready = AsyncStream<Int>.makeStream()
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { ready.continuation.yield($0.localAddress?.port ?? 0) }, logger: .init(label: "bench-in"))
    Task { try await app.runService(gracefulShutdownSignals: []) }
    for await port in ready.stream { return port }
    return 0
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
