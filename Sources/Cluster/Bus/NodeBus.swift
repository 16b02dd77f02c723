import Foundation
import Logging
import PostgresNIO
import Synchronization
import WSECore

/// Messages between the nodes of a cluster, over PostgreSQL's LISTEN/NOTIFY: no broker of our own.
///
/// Each node listens on its own channel, `wse_node_<id>`. A request carries a correlation id and the sender's
/// node id; the answer comes back on the sender's channel with the same id, or the request gives up at its
/// deadline (a node that is gone answers nothing). NOTIFY payloads are limited to 8000 bytes: bigger
/// envelopes are stored in `cluster_message` and passed by row id, and the receiver deletes the row.
final class NodeBus: Sendable {
    /// Envelopes longer than this (bytes of JSON) go through `cluster_message`.
    static let inlineLimit = 7000

    typealias Handler = @Sendable (BusRequest) async -> BusReply

    let node: String
    private let client: PostgresClient
    private let logger: Logger
    private let handler: Handler
    private let waiting = Mutex<[String: ReplySlot]>([:])

    /// A request's place for its reply: the reply may arrive before its requester starts to wait.
    private enum ReplySlot {
        case expecting
        case arrived(BusReply)
        case waiting(CheckedContinuation<BusReply?, Never>)
    }

    init(node: String, client: PostgresClient, logger: Logger, handler: @escaping Handler) {
        self.node = node
        self.client = client
        self.logger = logger
        self.handler = handler
    }

    static func channel(of node: String) -> String { "wse_node_\(node)" }

    /// Listens on this node's channel until cancelled, handling each request in a child task; a lost
    /// connection is re-established after `retryDelay`. `ready` is called each time the listener is in place.
    func listen(retryDelay: Duration = .seconds(1), ready: @Sendable () -> Void = {}) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel(of: node)) { notifications in
                        ready()
                        try await withThrowingDiscardingTaskGroup { group in
                            for try await notification in notifications {
                                group.addTask { await self.received(notification.payload) }
                            }
                        }
                    }
                }
            } catch where !Task.isCancelled {
                logger.warning("cluster bus: listening failed; retrying", metadata: ["wse.error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: retryDelay)
            } catch {
                return
            }
        }
    }

    /// Sends `request` to `node` and waits for its reply until `timeout` on `clock`; nil when none came (node gone) or
    /// the request could not be sent.
    func request(_ request: BusRequest, to node: String, timeout: Duration, clock: any Clock<Duration>) async -> BusReply? {
        let id = UUID().uuidString
        waiting.withLock { $0[id] = .expecting }
        defer { waiting.withLock { _ = $0.removeValue(forKey: id) } }
        do {
            try await send(BusEnvelope(id: id, from: self.node, request: request), to: node)
        } catch {
            logger.warning("cluster bus: cannot send", metadata: ["wse.node": "\(node)", "wse.error": "\(String(reflecting: error))"])
            return nil
        }
        let reply = await withDeadline(timeout, on: clock) { await self.reply(to: id) }
        return reply ?? nil
    }

    /// Waits for the reply of `id`; cancellation (the deadline) answers nil.
    private func reply(to id: String) async -> BusReply? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<BusReply?, Never>) in
                let ready: BusReply?? = waiting.withLock { slots in
                    switch slots[id] {
                    case .arrived(let reply): return .some(reply)
                    case .expecting where !Task.isCancelled:
                        slots[id] = .waiting(continuation)
                        return .none
                    default: return .some(nil)
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let continuation = waiting.withLock { slots -> CheckedContinuation<BusReply?, Never>? in
                guard case .waiting(let continuation) = slots[id] else { return nil }
                slots[id] = .expecting
                return continuation
            }
            continuation?.resume(returning: nil)
        }
    }

    private func received(_ payload: String) async {
        guard let envelope = await open(payload) else { return }
        if let reply = envelope.reply {
            let continuation = waiting.withLock { slots -> CheckedContinuation<BusReply?, Never>? in
                switch slots[envelope.id] {
                case .expecting:
                    slots[envelope.id] = .arrived(reply)
                    return nil
                case .waiting(let continuation):
                    slots[envelope.id] = .arrived(reply)
                    return continuation
                case .arrived, nil:
                    return nil  // late, or not ours
                }
            }
            continuation?.resume(returning: reply)
        } else if let request = envelope.request, let sender = envelope.from {
            let reply = await handler(request)
            do {
                try await send(BusEnvelope(id: envelope.id, reply: reply), to: sender)
            } catch {
                logger.warning("cluster bus: cannot reply", metadata: ["wse.node": "\(sender)", "wse.error": "\(String(reflecting: error))"])
            }
        }
    }

    private func send(_ envelope: BusEnvelope, to node: String) async throws {
        let text = String(decoding: try JSONEncoder().encode(BusNotification(envelope: envelope)), as: UTF8.self)
        var payload = text
        if text.utf8.count > Self.inlineLimit {
            let rows = try await client.query("INSERT INTO cluster_message (payload) VALUES (\(text)) RETURNING id", logger: logger)
            var reference: Int64?
            for try await id in rows.decode(Int64.self) { reference = id }
            payload = String(decoding: try JSONEncoder().encode(BusNotification(ref: reference)), as: UTF8.self)
        }
        _ = try await client.query("SELECT pg_notify(\(Self.channel(of: node)), \(payload))", logger: logger).collect()
    }

    /// The envelope of a notification, fetched (and deleted) from `cluster_message` when passed by reference.
    private func open(_ payload: String) async -> BusEnvelope? {
        do {
            let notification = try JSONDecoder().decode(BusNotification.self, from: Data(payload.utf8))
            if let envelope = notification.envelope { return envelope }
            guard let reference = notification.ref else { return nil }
            let rows = try await client.query("DELETE FROM cluster_message WHERE id = \(reference) RETURNING payload", logger: logger)
            for try await text in rows.decode(String.self) {
                return try JSONDecoder().decode(BusNotification.self, from: Data(text.utf8)).envelope
            }
            return nil
        } catch {
            logger.warning("cluster bus: unreadable notification", metadata: ["wse.error": "\(String(reflecting: error))"])
            return nil
        }
    }
}
