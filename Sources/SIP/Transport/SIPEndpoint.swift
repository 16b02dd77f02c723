import NIOCore

/// The transports SIP runs over here.
public enum SIPTransportKind: String, Sendable, Hashable {
    case udp = "UDP"
    case tcp = "TCP"

    /// Reliable transports need no retransmission and no Timer K/J wait (RFC 3261 §17).
    public var isReliable: Bool { self != .udp }
}

/// Where a message came from or goes to: the transport and the remote socket address.
public struct SIPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var kind: SIPTransportKind
    public var address: SocketAddress

    public init(_ kind: SIPTransportKind, _ address: SocketAddress) {
        self.kind = kind
        self.address = address
    }

    /// A loopback or numeric-IP endpoint; throws when `host` is not an IP address.
    public init(_ kind: SIPTransportKind, host: String, port: Int) throws {
        self.init(kind, try SocketAddress(ipAddress: host, port: port))
    }

    public var description: String { "\(kind.rawValue.lowercased()):\(address.ipAddress ?? "?"):\(address.port ?? 0)" }
}
