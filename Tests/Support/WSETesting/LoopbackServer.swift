import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing
import WSECore

/// Real servers on loopback ports chosen by the system, and a plain HTTP client: for the tests of
/// the demo services, the REST connector and anything else that talks HTTP to a real listener.

/// Tells a test which port a server it started got.
public struct PortSignal: Sendable {
    public let ports: AsyncStream<Int>
    public let continuation: AsyncStream<Int>.Continuation

    public init() { (ports, continuation) = AsyncStream.makeStream(of: Int.self) }

    public var onRunning: @Sendable (Int) async -> Void { { [continuation] port in continuation.yield(port) } }
}

/// A test cannot go on: says why.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `app` while `body` runs, then shuts it down gracefully (as SIGTERM would) and
/// waits until it has stopped. Fails loudly if the server does not start.
public func serve<App: ApplicationProtocol, Result: Sendable>(
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
public struct HTTPResult: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var text: String
    public var json: JSONValue? { try? JSONValue.parse(text) }
}

/// Makes one request with the shared client; `body` is sent as JSON text when given.
public func http(
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
