import LocalServers
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct PortReservationTests {
    @Test func reservedPortsAreDistinctAndRefuseConnections() throws {
        let first = try PortReservation(), second = try PortReservation()
        #expect(first.port != second.port)
        #expect(first.port > 0)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(first.port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == -1 && errno == ECONNREFUSED, "a reservation binds without listening")
    }
}
