import NIOCore
import NIOWebSocket

/// Reading a peer's close frame (RFC 6455 §5.5.1, §7.4).
enum CloseFrame {
    /// The code to answer a peer's close frame with: its own code when the frame is valid,
    /// 1000 when it carries none, nil when it is malformed (answer 1002).
    static func validCode(in payload: inout ByteBuffer) -> WebSocketErrorCode? {
        if payload.readableBytes == 0 { return .normalClosure }
        guard payload.readableBytes >= 2, let code = payload.readWebSocketErrorCode() else { return nil }
        let number = code.number
        guard (1000...1003).contains(number) || (1007...1011).contains(number) || (3000...4999).contains(number) else {
            return nil
        }
        guard String(validating: payload.readableBytesView, as: UTF8.self) != nil else { return nil }
        return code
    }
}

extension WebSocketFrame {
    /// RSV1-3 are meaningful only with a negotiated extension, and WSE negotiates none (RFC 6455 §5.2).
    /// Checked after NIOWebSocketFrameAggregator, so it sees unfragmented and control frames only.
    var hasReservedBits: Bool { rsv1 || rsv2 || rsv3 }
}
