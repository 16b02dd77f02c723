import NIOCore
import NIOPosix
import Synchronization

/// A UDP socket that counts what it receives and never answers: a registrar that is down.
final class SilentUDPServer: Sendable {
    private let channel: any Channel
    private let counter: Counter

    final class Counter: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let count = Mutex(0)
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { count.withLock { $0 += 1 } }
    }

    private init(channel: any Channel, counter: Counter) {
        self.channel = channel
        self.counter = counter
    }

    static func start() async throws -> SilentUDPServer {
        let counter = Counter()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(counter) }
            .bind(host: "127.0.0.1", port: 0).get()
        return SilentUDPServer(channel: channel, counter: counter)
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    var datagrams: Int { counter.count.withLock { $0 } }

    func stop() async { try? await channel.close().get() }
}
