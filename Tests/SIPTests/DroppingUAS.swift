import NIOCore
import NIOPosix
import Synchronization
@testable import SIP

/// A UDP UAS that ignores the first `drop` requests it receives and answers the next ones
/// with 200 (Contact expires=60): a lossy network in front of a registrar.
final class DroppingUAS: Sendable {
    private let channel: any Channel
    private let counter: Responder

    final class Responder: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let drop: Int
        let count = Mutex(0)

        init(drop: Int) { self.drop = drop }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let seen = count.withLock { value in
                value += 1
                return value
            }
            guard seen > drop, case .request(let request)? = try? SIPMessageParser().parse(Array(envelope.data.readableBytesView)) else {
                return
            }
            var response = SIPResponse(to: request, statusCode: 200, toTag: "uas")
            if let contact = request.headers[SIPHeaderName.contact] { response.headers.add(SIPHeaderName.contact, contact + ";expires=60") }
            let bytes = context.channel.allocator.buffer(bytes: SIPMessage.response(response).serialized())
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: bytes)), promise: nil)
        }
    }

    private init(channel: any Channel, counter: Responder) {
        self.channel = channel
        self.counter = counter
    }

    static func start(drop: Int) async throws -> DroppingUAS {
        let responder = Responder(drop: drop)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(responder) }
            .bind(host: "127.0.0.1", port: 0).get()
        return DroppingUAS(channel: channel, counter: responder)
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    var received: Int { counter.count.withLock { $0 } }

    func stop() async { try? await channel.close().get() }
}
