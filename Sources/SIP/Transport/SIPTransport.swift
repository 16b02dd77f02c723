import NIOCore
import NIOPosix
import Synchronization

/// Moves SIP messages over UDP and TCP sockets (NIO). Knows framing, not SIP semantics:
/// it parses what arrives, hands it to one handler with its source, and sends messages to
/// endpoints, reusing or opening TCP connections.
public final class SIPTransport: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// nil: no UDP socket. 0: any free port.
        public var udpPort: Int?
        /// nil: no TCP listener. 0: any free port.
        public var tcpPort: Int?
        public var limits: SIPMessageParser.Limits

        public init(host: String = "127.0.0.1", udpPort: Int? = 0, tcpPort: Int? = 0,
                    limits: SIPMessageParser.Limits = SIPMessageParser.Limits()) {
            self.host = host
            self.udpPort = udpPort
            self.tcpPort = tcpPort
            self.limits = limits
        }
    }

    public typealias MessageHandler = @Sendable (SIPMessage, SIPEndpoint) -> Void
    public typealias ErrorHandler = @Sendable (SIPParseError, SIPEndpoint) -> Void

    private let group: any EventLoopGroup
    private let configuration: Configuration
    private let inbox: SIPInbox
    private let udpChannel: (any Channel)?
    private let tcpListener: (any Channel)?
    private let connections = Mutex<[SocketAddress: any Channel]>([:])

    /// The bound UDP address, if any.
    public var udpAddress: SocketAddress? { udpChannel?.localAddress }
    /// The bound TCP listening address, if any.
    public var tcpAddress: SocketAddress? { tcpListener?.localAddress }

    private init(group: any EventLoopGroup, configuration: Configuration, inbox: SIPInbox,
                 udpChannel: (any Channel)?, tcpListener: (any Channel)?) {
        self.group = group
        self.configuration = configuration
        self.inbox = inbox
        self.udpChannel = udpChannel
        self.tcpListener = tcpListener
    }

    /// Binds the sockets and starts delivering inbound messages to `onMessage`.
    public static func start(_ configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             onMessage: @escaping MessageHandler,
                             onError: @escaping ErrorHandler = { _, _ in }) async throws -> SIPTransport {
        let inbox = SIPInbox(onMessage: onMessage, onError: onError)
        let limits = configuration.limits
        var udp: (any Channel)?
        if let port = configuration.udpPort {
            // No SO_REUSEADDR on UDP: there is no TIME_WAIT to skip, and on Linux it lets bind(0) hand
            // out a port another SO_REUSEADDR socket already holds, so that the two share (and lose)
            // each other's datagrams. A fixed port in use must fail to bind instead.
            udp = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SIPDatagramHandler(inbox: inbox, limits: limits))
                    }
                }
                .bind(host: configuration.host, port: port).get()
        }
        let registry = ConnectionRegistry()
        var tcp: (any Channel)?
        if let port = configuration.tcpPort {
            tcp = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Self.configureStream(channel, inbox: inbox, limits: limits, registry: registry)
                    }
                }
                .bind(host: configuration.host, port: port).get()
        }
        let transport = SIPTransport(group: group, configuration: configuration, inbox: inbox, udpChannel: udp, tcpListener: tcp)
        registry.transport.withLock { $0 = transport }
        return transport
    }

    /// `host:port` to write in Via and Contact for messages sent over `kind`.
    public func sentBy(_ kind: SIPTransportKind) -> (host: String, port: Int) {
        let address = kind == .udp ? udpAddress : (tcpAddress ?? udpAddress)
        return (address?.ipAddress ?? configuration.host, address?.port ?? 0)
    }

    /// Sends `message` to `endpoint`: a datagram, or over the TCP connection to that address
    /// (an accepted one, or a new one).
    public func send(_ message: SIPMessage, to endpoint: SIPEndpoint) async throws {
        switch endpoint.kind {
        case .udp:
            guard let udpChannel else { throw SIPTransportError("no UDP socket bound") }
            try await udpChannel.writeAndFlush(Self.datagram(message, to: endpoint, on: udpChannel)).get()
        case .tcp:
            let channel = try await connection(to: endpoint.address)
            try await channel.writeAndFlush(message).get()
        }
    }

    /// Sends `message` as a datagram without waiting for it to leave: for retransmissions, which
    /// need no answer from the socket (a lost one is what the next retransmission is for).
    /// Nothing is sent to a TCP endpoint: reliable transports do not retransmit.
    public func retransmit(_ message: SIPMessage, to endpoint: SIPEndpoint) {
        guard endpoint.kind == .udp, let udpChannel else { return }
        udpChannel.writeAndFlush(Self.datagram(message, to: endpoint, on: udpChannel), promise: nil)
    }

    private static func datagram(_ message: SIPMessage, to endpoint: SIPEndpoint, on channel: any Channel) -> AddressedEnvelope<ByteBuffer> {
        AddressedEnvelope(remoteAddress: endpoint.address, data: channel.allocator.buffer(bytes: message.serialized()))
    }

    /// Closes every socket.
    public func close() async {
        let open = connections.withLock { table in
            defer { table.removeAll() }
            return Array(table.values)
        }
        for channel in open + [udpChannel, tcpListener].compactMap({ $0 }) {
            try? await channel.close().get()
        }
    }

    private func connection(to address: SocketAddress) async throws -> any Channel {
        if let existing = connections.withLock({ $0[address] }), existing.isActive { return existing }
        let inbox = self.inbox
        let limits = configuration.limits
        let registry = ConnectionRegistry()
        registry.transport.withLock { $0 = self }
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configureStream(channel, inbox: inbox, limits: limits, registry: registry)
                }
            }
            .connect(to: address).get()
        remember(channel, for: address)
        return channel
    }

    fileprivate func remember(_ channel: any Channel, for address: SocketAddress) {
        connections.withLock { $0[address] = channel }
    }

    fileprivate func forget(_ address: SocketAddress) {
        connections.withLock { _ = $0.removeValue(forKey: address) }
    }

    private static func configureStream(_ channel: any Channel, inbox: SIPInbox, limits: SIPMessageParser.Limits,
                                        registry: ConnectionRegistry) throws {
        if let remote = channel.remoteAddress { registry.transport.withLock { $0?.remember(channel, for: remote) } }
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(SIPStreamDecoder(limits: limits)),
            MessageToByteHandler(SIPMessageEncoder()),
            SIPStreamHandler(inbox: inbox, onClose: { address in registry.transport.withLock { $0?.forget(address) } }),
        ])
    }
}

/// Lets accepted connections register with the transport that is created after the listener.
private final class ConnectionRegistry: Sendable {
    let transport = Mutex<SIPTransport?>(nil)
}

/// A socket-level failure: nothing bound, connection refused.
public struct SIPTransportError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
