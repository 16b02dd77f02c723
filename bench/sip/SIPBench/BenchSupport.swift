import AsyncHTTPClient
import Foundation
import Hummingbird
import IMSConnector
import Logging
import NIOCore
import SIP
import WSECore

/// Writes one result line to stdout at once (print's buffer would be lost if a later step failed
/// and the output goes to a file or a pipe).
func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

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
    var logger = Logger(label: "bench-in")
    logger.logLevel = .error
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { ready.continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
    Task { try await app.runService(gracefulShutdownSignals: []) }
    for await port in ready.stream { return port }
    throw BenchFailure("connector IN stand-in did not start")
}

/// Presence pushes arriving at connector IN, keyed by the number in their note
/// ("initial" ones are only counted).
actor PresenceArrivals {
    private var times: [Int: ContinuousClock.Instant] = [:]
    private var waiters: [Int: CheckedContinuation<ContinuousClock.Instant?, Never>] = [:]
    private(set) var initial = 0

    func record(_ push: JSONValue, at time: ContinuousClock.Instant) {
        guard let note = push["data"]?["note"]?.stringValue else { return }
        if note == "initial" { initial += 1; return }
        guard let change = Int(note) else { return }
        if let waiter = waiters.removeValue(forKey: change) { waiter.resume(returning: time) } else { times[change] = time }
    }

    /// When the push of `change` arrived; nil when it has not within `timeout`.
    func arrival(of change: Int, timeout: Duration = .seconds(10)) async -> ContinuousClock.Instant? {
        if let time = times.removeValue(forKey: change) { return time }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.giveUp(change)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { waiters[change] = $0 }
    }

    private func giveUp(_ change: Int) { waiters.removeValue(forKey: change)?.resume(returning: nil) }

    /// Waits until `count` initial pushes arrived, up to `timeout`.
    func waitForInitial(_ count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while initial < count {
            guard ContinuousClock.now < deadline else { throw BenchFailure("only \(initial) of \(count) first NOTIFYs arrived") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The connector under test: one `watcher` user (password "pw") talking to `server`.
func makeConnector(server: SIPEndpoint, users: [String]) throws -> IMSConnector {
    var quiet = Logger(label: "bench")
    quiet.logLevel = .error
    return try IMSConnector(.init(
        listen: .init(port: 0), key: "bench",
        sip: .init(server: .init(host: server.address.ipAddress ?? "127.0.0.1", port: server.address.port ?? 5060), domain: "127.0.0.1"),
        users: Dictionary(uniqueKeysWithValues: users.map { ($0, .init(username: $0, password: "pw")) })), logger: quiet)
}

/// `127.0.0.1:PORT` as a UDP endpoint, for benchmarks against an external server (Kamailio).
func loopbackServer(_ port: Int?) throws -> SIPEndpoint? {
    try port.map { try SIPEndpoint(.udp, host: "127.0.0.1", port: $0) }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
