import NIOCore
import NIOWebSocket
import WSECore

/// A session's handle on the connection it is attached to, usable from any thread:
/// every call hops to the connection's event loop, in the order the calls were made.
struct ConnectionLink: Sendable {
    let id: ObjectIdentifier
    private let handler: NIOLoopBound<SessionChannelHandler>

    init(_ handler: SessionChannelHandler, eventLoop: any EventLoop) {
        self.id = ObjectIdentifier(handler)
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
    }

    var eventLoop: any EventLoop { handler.eventLoop }

    /// Has the connection write what its session queued for it (``Session/takeOutbox(for:)``), in one flush.
    func scheduleFlush() {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.flushOutbox() }
    }

    /// Schedules the flushes of many connections with one hop per event loop (a fan-out), not one per connection.
    static func scheduleFlushes(_ links: [ConnectionLink]) {
        var byLoop: [(loop: any EventLoop, handlers: [NIOLoopBound<SessionChannelHandler>])] = []
        for link in links {
            let loop = link.handler.eventLoop
            if let index = byLoop.firstIndex(where: { $0.loop === loop }) {
                byLoop[index].handlers.append(link.handler)
            } else {
                byLoop.append((loop, [link.handler]))
            }
        }
        for (loop, handlers) in byLoop {
            loop.execute {
                for handler in handlers { handler.value.flushOutbox() }
            }
        }
    }

    /// Starts the close handshake. With `endingSession`, the session ends instead of waiting for a resume.
    func close(_ code: WebSocketErrorCode, reason: String, endingSession: Bool) {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.close(code, reason: reason, endingSession: endingSession) }
    }
}

extension WebSocketErrorCode {
    init(_ code: CloseCode) { self.init(codeNumber: Int(code.rawValue)) }

    /// The number sent on the wire.
    var number: UInt16 { UInt16(webSocketErrorCode: self) }
}
