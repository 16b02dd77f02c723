import NIOCore
import NIOWebSocket

/// `/wse/echo`: sends every message back, for the Autobahn conformance suite. Off unless
/// `ConnectionManagerConfiguration.echoEndpoint` is set; it has the same frame and message limits as `/wse`.
final class EchoChannelHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !frame.hasReservedBits else {
            close(context, .protocolError)
            return
        }
        switch frame.opcode {
        case .text:
            guard String(validating: frame.unmaskedData.readableBytesView, as: UTF8.self) != nil else {
                close(context, .dataInconsistentWithMessage)
                return
            }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: frame.unmaskedData)), promise: nil)
        case .binary:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: frame.unmaskedData)), promise: nil)
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .connectionClose:
            var payload = frame.unmaskedData
            guard !closing else {
                context.close(promise: nil)
                return
            }
            close(context, CloseFrame.validCode(in: &payload) ?? .protocolError)
        default:
            close(context, .protocolError)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength, NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge,
            NIOWebSocketFrameAggregator.Error.tooManyFragments:
            close(context, .messageTooLarge)
        case is NIOWebSocketError, is NIOWebSocketFrameAggregator.Error:
            close(context, .protocolError)
        default:
            context.close(promise: nil)
        }
    }

    private func close(_ context: ChannelHandlerContext, _ code: WebSocketErrorCode) {
        guard !closing else { return }
        closing = true
        var payload = context.channel.allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: code)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}
