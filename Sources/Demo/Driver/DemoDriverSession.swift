import WSEApp
import NIOCore
import NIOWebSocket
import WSECore

/// One driven contact's WSE session, held as a page holds it (PROTOCOL.md): `hello` with the
/// contact's token, then requests answered by id. The driver subscribes to nothing, so the events
/// that reach the contact (messages from others) are not read.
actor DemoDriverSession {
    let user: String
    private let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    private var nextRequest = 0
    /// Answers that came before their request started waiting (the node can be that fast).
    private var arrived: [String: JSONValue] = [:]
    private var waiting: [String: (continuation: CheckedContinuation<JSONValue, any Error>, timer: Task<Void, Never>)] = [:]
    /// Set when the connection is gone; every later request fails with it.
    private var lost: DemoDriverSessionLost?

    /// How long the node may take to answer a request before the driver gives up.
    static let answerTimeout: Duration = .seconds(15)

    private init(user: String, outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) {
        self.user = user
        self.outbound = outbound
    }

    /// Connects, says hello with `token`, runs `body` with the session, then closes it (1000).
    static func with<Result: Sendable>(
        user: String, token: String, endpoint: DemoDriverEndpoint, origin: String,
        _ body: (DemoDriverSession) async throws -> Result
    ) async throws -> Result {
        let channel = try await DemoDriverSocket.connect(endpoint, origin: origin)
        return try await channel.executeThenClose { inbound, outbound in
            let session = DemoDriverSession(user: user, outbound: outbound)
            return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { tasks in
                tasks.addTask { await session.read(inbound) }
                defer { tasks.cancelAll() }
                try await session.hello(token: token)
                let result = try await body(session)
                try? await session.send(WebSocketFrame(fin: true, opcode: .connectionClose, data: Self.closePayload(1000)))
                return result
            }
        }
    }

    /// Sends a request and waits for its answer: the `data` of the response, or the node's error thrown.
    @discardableResult
    func request(_ service: String, _ action: String, _ data: JSONValue = [:]) async throws -> JSONValue {
        if let lost { throw lost }
        nextRequest += 1
        let id = "\(user)-\(nextRequest)"
        let message: JSONValue = [
            "type": "request", "id": .string(id), "service": .string(service), "action": .string(action), "data": data,
        ]
        try? await send(text: message.jsonText)  // if the connection is gone, the reader says why and `answer` throws it
        let answer = try await answer(to: id)
        guard answer["type"] != "error" else {
            throw DemoDriverRequestError(
                user: user, service: service, action: action,
                code: answer["code"]?.stringValue ?? "error", message: answer["message"]?.stringValue ?? answer.jsonText)
        }
        return answer["data"] ?? .null
    }

    private func hello(token: String) async throws {
        try? await send(text: (["type": "hello", "token": .string(token)] as JSONValue).jsonText)  // a refusal comes as a close code
        let welcome = try await answer(to: "welcome")
        guard welcome["type"] == "welcome" else {
            throw DemoDriverError("the node answered \(user)'s hello with \(welcome.jsonText)")
        }
    }

    private func answer(to id: String) async throws -> JSONValue {
        if let message = arrived.removeValue(forKey: id) { return message }
        if let lost { throw lost }
        return try await withCheckedThrowingContinuation { continuation in
            // The answer's deadline: cancelled when the answer (or the connection's end) resumes the waiter.
            let timer = Task { [weak self] in
                guard (try? await Task.sleep(for: Self.answerTimeout)) != nil else { return }
                await self?.fail(id, DemoDriverError("the node did not answer \(id) within \(Self.answerTimeout)"))
            }
            waiting[id] = (continuation, timer)
        }
    }

    /// Routes what the node sends: answers to their waiting request, `welcome` to the hello.
    private func receive(_ message: JSONValue) {
        let key: String
        switch message["type"]?.stringValue {
        case "welcome": key = "welcome"
        case "response", "error":
            guard let id = message["id"]?.stringValue else { return }  // an error about no request (bad frame)
            key = id
        default: return  // events, ends: nothing the driver waits for
        }
        if let waiter = waiting.removeValue(forKey: key) {
            waiter.timer.cancel()
            waiter.continuation.resume(returning: message)
        } else {
            arrived[key] = message
        }
    }

    private func fail(_ id: String, _ error: any Error) {
        guard let waiter = waiting.removeValue(forKey: id) else { return }
        waiter.timer.cancel()
        waiter.continuation.resume(throwing: error)
    }

    private func connectionEnded(_ reason: DemoDriverSessionLost) {
        lost = reason
        for id in Array(waiting.keys) { fail(id, reason) }
    }

    /// Reads frames until the connection ends: text to `receive`, pings answered, the close code kept.
    private nonisolated func read(_ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>) async {
        var closeCode: UInt16?
        do {
            for try await frame in inbound {
                switch frame.opcode {
                case .text:
                    if let message = try? JSONValue.parse(String(buffer: frame.unmaskedData)) { await receive(message) }
                case .ping:
                    try? await send(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
                case .connectionClose:
                    var payload = frame.unmaskedData
                    closeCode = payload.readInteger(as: UInt16.self)
                    try? await send(WebSocketFrame(fin: true, opcode: .connectionClose, data: Self.closePayload(closeCode ?? 1000)))
                default:
                    continue
                }
            }
        } catch {}
        await connectionEnded(DemoDriverSessionLost(user: user, closeCode: closeCode))
    }

    private func send(text: String) async throws {
        try await send(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
    }

    private nonisolated func send(_ frame: WebSocketFrame) async throws {
        var frame = frame
        frame.maskKey = .random()  // a client masks every frame (RFC 6455)
        try await outbound.write(frame)
    }

    private static func closePayload(_ code: UInt16) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(code)
        return buffer
    }
}
