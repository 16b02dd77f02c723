import NIOCore
import Synchronization

/// Counts the node's open connections per client IP address and refuses those over the bound, so that one
/// address cannot hold every socket of the node (slowloris from one host, a connection flood).
///
/// Counted at accept, for every connection of the node's port (HTTP and WebSocket alike), and released when
/// the connection closes. Connections without an IP peer (Unix sockets) are not counted.
final class ConnectionsPerAddress: Sendable {
    private let limit: Int?
    private let counts = Mutex<[String: Int]>([:])

    /// - Parameter limit: connections one address may hold at once; nil: no bound.
    init(limit: Int?) { self.limit = limit }

    /// Counts `channel` against its address until it closes. - Returns: false when the address is at its bound
    /// (the connection is not counted and must be closed).
    func admit(_ channel: any Channel) -> Bool {
        guard let limit, let address = channel.remoteAddress?.ipAddress else { return true }
        let admitted = counts.withLock { counts in
            let count = counts[address, default: 0]
            guard count < limit else { return false }
            counts[address] = count + 1
            return true
        }
        if admitted { channel.closeFuture.whenComplete { _ in self.release(address) } }
        return admitted
    }

    /// Connections `address` holds now.
    func count(of address: String) -> Int { counts.withLock { $0[address] ?? 0 } }

    private func release(_ address: String) {
        counts.withLock { counts in
            let count = (counts[address] ?? 1) - 1
            counts[address] = count > 0 ? count : nil
        }
    }
}
