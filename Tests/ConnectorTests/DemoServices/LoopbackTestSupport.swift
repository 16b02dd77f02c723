import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing
import WSECore

/// Test support shared by the demo-service and REST-connector tests: real servers on
/// loopback ports chosen by the system, and a plain HTTP client.

/// Tells a test which port a server it started got.
struct PortSignal: Sendable {
    let ports: AsyncStream<Int>
    let continuation: AsyncStream<Int>.Continuation

    init() { (ports, continuation) = AsyncStream.makeStream(of: Int.self) }

    var onRunning: @Sendable (Int) async -> Void { { [continuation] port in continuation.yield(port) } }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `app` while `body` runs, then shuts it down gracefully (as SIGTERM would) and
/// waits until it has stopped. Fails loudly if the server does not start.
func serve<App: ApplicationProtocol, Result: Sendable>(
    _ app: App, _ signal: PortSignal, _ body: (Int) async throws -> Result
) async throws -> Result {
    let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { signal.continuation.finish() }
            try await serviceGroup.run()
        }
        var ports = signal.ports.makeAsyncIterator()
        guard let port = await ports.next() else {
            try await group.waitForAll()  // surfaces the start-up error
            throw TestFailure("the server did not start")
        }
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(port))
        } catch {
            result = .failure(error)
        }
        await serviceGroup.triggerGracefulShutdown()
        try await group.waitForAll()
        return try result.get()
    }
}

/// One HTTP exchange's outcome.
struct HTTPResult: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var text: String
    var json: JSONValue? { try? JSONValue.parse(text) }
}

/// Makes one request with the shared client; `body` is sent as JSON text when given.
func http(
    _ method: HTTPMethod, _ url: String, json body: JSONValue? = nil, text: String? = nil, headers: [(String, String)] = [],
    timeout: TimeAmount = .seconds(10)
) async throws -> HTTPResult {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let payload = body?.jsonText ?? text {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: payload))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: timeout)
    let bytes = try await response.body.collect(upTo: 1 << 22)
    return HTTPResult(status: Int(response.status.code), headers: response.headers, text: String(buffer: bytes))
}

/// Waits until `condition` holds, checking every 20 ms, and fails the test after `timeout`.
func eventually(
    _ what: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out after \(timeout) waiting for: \(what)", sourceLocation: sourceLocation)
    throw TestFailure("timed out waiting for: \(what)")
}
