import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import IdentityProxy
import NIOPosix
import Logging
import NIOCore
import NIOSSL
import Prometheus
import ServiceLifecycle
import Testing
import Demo
import WSEApp
import WSECore

/// Runs the integration tests' password hashing, apart from the identity proxy tests' hashing.
let integrationHashingPool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 1)
    pool.start()
    return pool
}()

/// Hashes the demo password once for every deployment the integration tests start.
let integrationHasher = PasswordHasher(threadPool: integrationHashingPool)
let demoPasswordHash = Task { try await integrationHasher.hash(DemoDeployment.password) }

/// The demo deployment running in this test process on free loopback ports, for the length of `body`.
/// - Parameters:
///   - tls: run it as `wse demo --tls` does.
///   - logger: where the deployment logs; by default warnings and errors to standard error.
func withRunningDemo(
    tls: Bool = false, logger: Logger = quietLogger, _ body: @Sendable (DemoDeployment) async throws -> Void
) async throws {
    let ready = AsyncStream<Void>.makeStream()
    var options = DemoOptions()
    options.port = 0
    options.database = ":memory:"
    // The WebSocket client always sends its own `Origin: ws://127.0.0.1`: admit it as a retailer page would be.
    options.extraOrigins = [testClientOrigin]
    if tls { options.extraOrigins.append(testTLSClientOrigin) }
    options.tls = tls
    // Password hashing is slow on purpose; a pool of its own keeps logins from queueing behind other suites' hashing.
    options.passwordHasher = integrationHasher
    // Seeding hashes anew for each of the many deployments queued up logins behind them (a login then
    // outlived its HTTP deadline on a loaded machine).
    options.seededPasswordHash = try await demoPasswordHash.value
    let deployment = try await DemoDeployment.make(
        options, metrics: PrometheusCollectorRegistry(), logger: logger, onReady: { _ in ready.continuation.yield() })
    let group = ServiceGroup(configuration: .init(services: deployment.services.map { .init(service: $0) }, logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            // A deployment that fails to start must not leave the test waiting for readiness forever.
            defer { ready.continuation.finish() }
            try await group.run()
        }
        var readiness = ready.stream.makeAsyncIterator()
        guard await readiness.next() != nil else {
            try await tasks.waitForAll()
            throw TestFailure("the demo deployment stopped before its node served")
        }
        do {
            try await body(deployment)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// The integration tests' usual logger: warnings and errors only.
let quietLogger: Logger = {
    var logger = Logger(label: "wse.integration")
    logger.logLevel = .warning
    return logger
}()

/// Logs a demo user in through the identity proxy (`POST /idp/token`).
func login(_ user: String, password: String = DemoDeployment.password, at nodeURL: String, client: HTTPClient = .shared) async throws -> String {
    let (status, body) = try await httpCall(
        "POST", "\(nodeURL)/idp/token", body: #"{"username":"\#(user)","password":"\#(password)"}"#, client: client)
    #expect(status == 200, "login of \(user) answered \(status): \(body)")
    guard let token = try JSONValue.parse(body)["access_token"]?.stringValue else {
        throw TestFailure("no access_token in \(body)")
    }
    return token
}

/// One HTTP call; the status and the body as text.
func httpCall(
    _ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], client: HTTPClient = .shared
) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: url)
    request.method = .init(rawValue: method)
    if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
        request.headers.add(name: "content-type", value: "application/json")
    }
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await client.execute(request, timeout: .seconds(10))
    let bytes = try await response.body.collect(upTo: 4 << 20)
    return (Int(response.status.code), String(buffer: bytes))
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Messages received on a test WebSocket, read one at a time with a bounded wait.
actor Mailbox {
    private var queued: [JSONValue] = []
    private var waiter: (continuation: CheckedContinuation<JSONValue?, Never>, timer: Task<Void, Never>, number: Int)?
    private var waits = 0
    private(set) var closed = false

    func put(_ message: JSONValue) {
        if let waiter = takeWaiter() {
            waiter.resume(returning: message)
        } else {
            queued.append(message)
        }
    }

    func close() {
        closed = true
        takeWaiter()?.resume(returning: nil)
    }

    /// The next message, or nil when the connection closed or nothing came within `seconds`.
    func next(within seconds: Double = 10) async -> JSONValue? {
        if !queued.isEmpty { return queued.removeFirst() }
        if closed { return nil }
        precondition(waiter == nil, "one reader at a time")
        waits += 1
        let number = waits
        return await withCheckedContinuation { continuation in
            // Each wait has its own numbered timer, so an earlier wait's timer never cuts a later one short.
            let timer = Task { [weak self] in
                try? await Task.sleep(for: .seconds(seconds))
                await self?.timeOut(number)
            }
            waiter = (continuation, timer, number)
        }
    }

    private func timeOut(_ number: Int) {
        guard waiter?.number == number else { return }
        takeWaiter()?.resume(returning: nil)
    }

    private func takeWaiter() -> CheckedContinuation<JSONValue?, Never>? {
        guard let current = waiter else { return nil }
        waiter = nil
        current.timer.cancel()
        return current.continuation
    }
}

/// A browser-like WebSocket session against a node: sends JSON, reads JSON.
struct TestSocket: Sendable {
    let mailbox: Mailbox
    let send: @Sendable (String) async throws -> Void
    /// Closes with a code; any code but 1000 leaves the session waiting for a resume (a dropped connection).
    let close: @Sendable (UInt16) async throws -> Void

    func send(_ message: JSONValue) async throws { try await send(message.jsonText) }

    /// The next message; fails the test when none comes.
    func next(within seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        guard let message = await mailbox.next(within: seconds) else {
            throw TestFailure("no message within \(seconds) s (closed: \(await mailbox.closed))")
        }
        return message
    }
}

/// The Origin header HummingbirdWSClient sends for a `ws://127.0.0.1:…` URL.
let testClientOrigin = "ws://127.0.0.1"
/// The one it sends for a `wss://127.0.0.1:…` URL.
let testTLSClientOrigin = "wss://127.0.0.1"

/// Opens `/wse` (`wss://` for an `https://` node, with `tls`) and runs `body` on it; the connection closes (1000)
/// when `body` returns.
/// - Returns: the close frame the node sent, if it closed first.
@discardableResult
func withSocket(
    _ nodeURL: String, tls: TLSConfiguration? = nil, _ body: @escaping @Sendable (TestSocket) async throws -> Void
) async throws -> WebSocketCloseFrame? {
    let url = nodeURL.replacingOccurrences(of: "http", with: "ws", options: .anchored) + "/wse"
    // The client would send the URL's IP address as the TLS server name, which TLS forbids; the demo's certificate
    // also names localhost.
    return try await WebSocketClient.connect(
        url: url, configuration: .init(maxFrameSize: 1 << 20, sniHostname: tls.map { _ in "localhost" }), tlsConfiguration: tls,
        logger: Logger(label: "test.ws")
    ) { inbound, outbound, _ in
        let mailbox = Mailbox()
        let socket = TestSocket(
            mailbox: mailbox, send: { text in try await outbound.write(.text(text)) },
            close: { code in try await outbound.close(.init(codeNumber: Int(code)), reason: "test") })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message, let value = try? JSONValue.parse(text) { await mailbox.put(value) }
                }
                await mailbox.close()
            }
            try await body(socket)
            tasks.cancelAll()
        }
    }
}

/// Logs `first` and `second` in and opens a welcomed session for each (on two sockets), for the length of `body`.
func withTwoSessions(
    _ first: String, _ second: String, at nodeURL: String, _ body: @escaping @Sendable (TestSocket, TestSocket) async throws -> Void
) async throws {
    let firstToken = try await login(first, at: nodeURL)
    let secondToken = try await login(second, at: nodeURL)
    try await withSocket(nodeURL) { one in
        try await withSocket(nodeURL) { two in
            try await one.send(["type": "hello", "token": .string(firstToken)])
            try await two.send(["type": "hello", "token": .string(secondToken)])
            _ = try await one.next()
            _ = try await two.next()
            try await body(one, two)
        }
    }
}
