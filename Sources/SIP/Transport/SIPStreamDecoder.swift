import NIOCore

/// NIO decoder for stream transports: drops CRLF keep-alives, cuts one message with
/// `SIPStreamFramer` and parses it. A framing or parse error is fatal for the stream (there
/// is no way to find the next message), so it is thrown and the connection closes.
final class SIPStreamDecoder: ByteToMessageDecoder {
    typealias InboundOut = SIPMessage

    private let framer: SIPStreamFramer
    private let parser: SIPMessageParser

    init(limits: SIPMessageParser.Limits) {
        self.framer = SIPStreamFramer(limits: limits)
        self.parser = SIPMessageParser(limits: limits)
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        while let first = buffer.readableBytesView.first, first == 0x0D || first == 0x0A {
            buffer.moveReaderIndex(forwardBy: 1)
        }
        guard let length = try framer.messageLength(in: buffer.readableBytesView) else { return .needMoreData }
        let bytes = buffer.readBytes(length: length) ?? []
        context.fireChannelRead(wrapInboundOut(try parser.parse(bytes, isStream: true)))
        return .continue
    }
}

/// NIO encoder: a message to its wire bytes.
final class SIPMessageEncoder: MessageToByteEncoder {
    typealias OutboundIn = SIPMessage

    func encode(data: SIPMessage, out: inout ByteBuffer) throws {
        out.writeBytes(data.serialized())
    }
}
