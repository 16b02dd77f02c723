import NIOCore

/// Hands every parsed inbound message, with where it came from, to the transport's owner.
final class SIPInbox: Sendable {
    typealias Handler = @Sendable (SIPMessage, SIPEndpoint) -> Void
    typealias ErrorHandler = @Sendable (SIPParseError, SIPEndpoint) -> Void

    let onMessage: Handler
    let onError: ErrorHandler

    init(onMessage: @escaping Handler, onError: @escaping ErrorHandler) {
        self.onMessage = onMessage
        self.onError = onError
    }
}

/// UDP: each datagram is one message; a malformed datagram is reported and dropped.
final class SIPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let inbox: SIPInbox
    private let parser: SIPMessageParser

    init(inbox: SIPInbox, limits: SIPMessageParser.Limits) {
        self.inbox = inbox
        self.parser = SIPMessageParser(limits: limits)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let endpoint = SIPEndpoint(.udp, envelope.remoteAddress)
        let bytes = Array(envelope.data.readableBytesView)
        // A datagram of only CRLFs is a keep-alive (RFC 5626 §3.5.1).
        if bytes.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) { return }
        do {
            inbox.onMessage(try parser.parse(bytes), endpoint)
        } catch {
            inbox.onError(error, endpoint)
        }
    }
}

/// TCP: after `SIPStreamDecoder`, delivers messages; forgets the connection when it closes.
final class SIPStreamHandler: ChannelInboundHandler {
    typealias InboundIn = SIPMessage

    private let inbox: SIPInbox
    private let onClose: @Sendable (SocketAddress) -> Void
    private var remote: SocketAddress?

    init(inbox: SIPInbox, onClose: @escaping @Sendable (SocketAddress) -> Void) {
        self.inbox = inbox
        self.onClose = onClose
    }

    func channelActive(context: ChannelHandlerContext) {
        remote = context.remoteAddress
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let remote = remote ?? context.remoteAddress else { return }
        inbox.onMessage(unwrapInboundIn(data), SIPEndpoint(.tcp, remote))
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let remote { onClose(remote) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let remote, let parseError = error as? SIPParseError {
            inbox.onError(parseError, SIPEndpoint(.tcp, remote))
        }
        context.close(promise: nil)
    }
}
