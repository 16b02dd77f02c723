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

    /// Writes one text frame (unless the connection is closing).
    func deliver(_ text: String) {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.deliver(text) }
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
