import NIOCore
import NIOPosix
import Synchronization
@testable import SIP

/// A UDP UAS that ignores the first `drop` requests it receives and answers the next ones
/// with 200 (Contact expires=60): a lossy network in front of a registrar, or with `drop: .max`
/// a registrar that is down. A test can wait for the n-th request to arrive.
final class DroppingUAS: Sendable {
    private let channel: any Channel
    private let counter: Responder

    final class Responder: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let drop: Int
        /// Requests received, and who waits for how many.
        let state = Mutex<(count: Int, waiting: [(count: Int, continuation: CheckedContinuation<Void, Never>)])>((0, []))

        init(drop: Int) { self.drop = drop }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let (seen, ready) = state.withLock { state in
                state.count += 1
                let count = state.count
                let ready = state.waiting.filter { $0.count <= count }.map(\.continuation)
                state.waiting.removeAll { $0.count <= count }
                return (count, ready)
            }
            ready.forEach { $0.resume() }
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
    var received: Int { counter.state.withLock { $0.count } }

    /// Returns once `count` requests (copies included) have arrived.
    func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let arrived = counter.state.withLock { state in
                if state.count >= count { return true }
                state.waiting.append((count, continuation))
                return false
            }
            if arrived { continuation.resume() }
        }
    }

    func stop() async { try? await channel.close().get() }
}
