#if canImport(Glibc)
import Glibc
#endif

/// Another program on the same machine binding many UDP sockets to port 0 of `host` with
/// SO_REUSEADDR (as this code's own transports did, in every test run of the shared machine).
/// Linux may give such a socket a port that one of ours holds when ours set SO_REUSEADDR too;
/// the newest socket on a port then receives all its datagrams, so ours would go deaf. Use an
/// address of its own (127.0.0.x) so that other processes on the machine are not disturbed.
final class UDPNeighbours {
    private var descriptors: [Int32] = []

    /// Binds `count` sockets; throws when one cannot be bound at all.
    init(count: Int, host: String) throws {
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { close(); throw TestFailure("cannot open a UDP socket (errno \(errno))") }
            descriptors.append(fd)
            var on: Int32 = 1
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr(host)
            let bound = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) == 0
                && withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
                }
            guard bound else { close(); throw TestFailure("cannot bind a UDP socket to \(host):0 (errno \(errno))") }
        }
    }

    func close() {
        for fd in descriptors { _ = Glibc.close(fd) }
        descriptors.removeAll()
    }

    deinit { close() }
}
