#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback port held for a listener that starts later, so that listeners know each other's
/// addresses before any of them runs.
///
/// Finding a free port and closing it again is a race: until the listener binds, the kernel may
/// hand the port to any outgoing connection (ports from `bind(0)` come from the same ephemeral
/// range as `connect()`'s). A reservation instead keeps a socket bound to the port with
/// `SO_REUSEADDR` and never listens on it. On Linux that keeps the port out of every automatic
/// choice (`connect()`, `bind(0)`) and from plain `bind()`s, while a listener that also sets
/// `SO_REUSEADDR` (Hummingbird, PostgreSQL and nginx all do) may still bind and listen on it.
/// Release it once the listener is up, or when the deployment stops.
public final class PortReservation: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws(LocalServerError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalServerError("cannot open a socket to reserve a loopback port") }
        var on: Int32 = 1
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) == 0
            && withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
        guard bound else {
            close(fd)
            throw LocalServerError("cannot reserve a free loopback port")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
