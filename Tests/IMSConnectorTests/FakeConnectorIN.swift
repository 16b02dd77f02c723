import Foundation
import Hummingbird
import NIOCore
import Testing
import WSECore
import WSETesting

/// A real HTTP server on loopback standing in for a WSE node's connector IN: records every
/// push (checking the Bearer key) and lets a test wait for one. `hold()` makes it keep its
/// answers until `release()`, as a slow node would.
actor FakeConnectorIN {
    struct Push: Sendable {
        let body: JSONValue
        let authorization: String?
    }

    private(set) var pushes: [Push] = []
    /// How many pushes each request carried (more than 1: the batch form).
    private(set) var requestSizes: [Int] = []
    private var service: RunningService?
    private(set) var port = 0
    private var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []
    /// What `GET /connector/v1/subscribers/{user}/sip` answers, by user (the node's subscriber records).
    private var sipIdentities: [String: JSONValue] = [:]
    /// The keys the SIP lookups carried, in order.
    private(set) var lookupKeys: [String?] = []

    func setSIPIdentity(_ identity: JSONValue, of user: String) { sipIdentities[user] = identity }

    private func lookUp(_ user: String, authorization: String?) -> JSONValue? {
        lookupKeys.append(authorization)
        return sipIdentities[user]
    }

    var url: String { "http://127.0.0.1:\(port)/connector/in/v1/events" }

    func start() async throws {
        let router = Router()
        router.post("/connector/in/v1/events") { [weak self] request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
            // The batch form (an array): every element is a push, answered with one result each.
            let pushes = value.arrayValue ?? [value]
            await self?.record(pushes.map { Push(body: $0, authorization: request.headers[.authorization]) })
            await self?.answerWhenReleased()
            let answer = value.arrayValue == nil
                ? #"{"delivered":1}"#
                : #"{"results":["# + Array(repeating: #"{"status":202,"delivered":1}"#, count: pushes.count).joined(separator: ",") + "]}"
            return Response(status: value.arrayValue == nil ? .accepted : .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        router.get("/connector/v1/subscribers/:name/sip") { [weak self] request, context -> Response in
            let name = try context.parameters.require("name")
            guard let identity = await self?.lookUp(name, authorization: request.headers[.authorization]) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: identity.jsonText)))
        }
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) })
        service = RunningService(app)
        for await port in ready.stream {
            self.port = port
            break
        }
    }

    func stop() async {
        await service?.stop()
    }

    private func record(_ request: [Push]) {
        pushes += request
        requestSizes.append(request.count)
    }

    /// From now on, every push waits for `release()` before it is answered.
    func hold() { holding = true }

    /// Answers the held pushes and stops holding.
    func release() {
        holding = false
        for waiting in held { waiting.resume() }
        held.removeAll()
    }

    private func answerWhenReleased() async {
        guard holding else { return }
        await withCheckedContinuation { held.append($0) }
    }

    /// Waits (up to `timeout`) for a push matching `predicate`; fails the caller by throwing.
    func waitFor(_ what: String, timeout: Duration = .seconds(10), _ predicate: @Sendable (JSONValue) -> Bool) async throws -> JSONValue {
        try await waitFor(1, what, timeout: timeout, predicate)[0]
    }

    /// Waits (up to `timeout`) until `count` pushes match `predicate` and returns them; throws with
    /// how many arrived otherwise.
    func waitFor(_ count: Int, _ what: String, timeout: Duration = .seconds(10),
                 _ predicate: @Sendable (JSONValue) -> Bool) async throws -> [JSONValue] {
        var matching: [JSONValue] = []
        try await eventually("\(count) pushes \(what)", within: timeout) {
            matching = pushes.map(\.body).filter(predicate)
            return matching.count >= count
        }
        return matching
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
