#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds loopback ports nobody listens on, so that the demo's listeners know each other's
/// addresses before they start.
enum FreePort {
    /// A port the system would hand out now on 127.0.0.1. Another process could take it before
    /// it is used; the listener then fails to bind and says so.
    static func find() throws(NodeStartupError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NodeStartupError("cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw NodeStartupError("cannot find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
