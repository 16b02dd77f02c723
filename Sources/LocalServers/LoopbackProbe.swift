#if canImport(Glibc)
import Glibc
#endif

/// Whether something listens on a loopback TCP port, for waiting until a server we started is ready.
public enum LoopbackProbe {
    /// True when a TCP connection to 127.0.0.1:`port` is accepted.
    public static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Waits until `port` accepts connections; fails when `process` ends first or `timeout` passes.
    public static func waitUntilListening(
        port: Int, process: ChildProcess, name: String, timeout: Duration = .seconds(30)
    ) async throws(LocalServerError) {
        let deadline = ContinuousClock.now + timeout
        while !isListening(port: port) {
            if process.hasExited {
                throw LocalServerError("\(name) stopped before it listened on port \(port): \(process.outputTail())")
            }
            guard ContinuousClock.now < deadline else {
                throw LocalServerError("\(name) did not listen on port \(port) within \(timeout): \(process.outputTail())")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
