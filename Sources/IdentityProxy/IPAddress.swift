import Foundation
import NIOCore

/// An IPv4 or IPv6 address, as the identity proxy tells clients apart. An IPv4-mapped IPv6
/// address (`::ffff:192.0.2.1`, what a dual-stack socket reports for an IPv4 peer) is that IPv4 address.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 (IPv4) or 16 (IPv6) bytes, in network order.
    public let bytes: [UInt8]

    private static let ipv4MappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]

    /// Parses `192.0.2.1` or `2001:db8::1`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        guard let address = try? SocketAddress(ipAddress: String(text), port: 0) else { return nil }
        self.init(address)
    }

    /// The IP address of a socket address; nil for a Unix domain socket.
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            bytes = withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let raw = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            bytes = raw.starts(with: Self.ipv4MappedPrefix) ? Array(raw.suffix(4)) : raw
        case .unixDomainSocket:
            return nil
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The address with all but its first `prefixLength` bits set to zero.
    func masked(toPrefix prefixLength: Int) -> IPAddress {
        IPAddress(bytes: bytes.enumerated().map { index, byte in
            let keptBits = min(8, max(0, prefixLength - 8 * index))
            return byte & UInt8(truncatingIfNeeded: 0xFF << (8 - keptBits))
        })
    }

    /// What the login limits count as one client: an IPv4 address, or the /64 network of an IPv6
    /// address (a subscriber line is given a whole /64, so its owner can pick any address in it).
    public var clientNetwork: IPAddress { isIPv4 ? self : masked(toPrefix: 64) }

    /// Dotted decimal for IPv4; eight hexadecimal groups for IPv6 (not shortened).
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2)
            .map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
