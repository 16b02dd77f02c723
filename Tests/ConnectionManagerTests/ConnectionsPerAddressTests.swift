@testable import ConnectionManager
import Logging
import NIOCore
import NIOEmbedded
import Testing

/// One client address may hold `maxConnectionsPerAddress` connections of the node's port at once; more are
/// closed at accept, other addresses are unaffected, and a closed connection frees its place.
@Suite(.timeLimit(.minutes(1))) struct ConnectionsPerAddressTests {
    /// A connection from `address` accepted through the node's HTTP pipeline, on a test event loop.
    private func accept(from address: String, _ node: TestNode) async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: SocketAddress(ipAddress: address, port: 40000)).get()
        let server = WSEServerChannel(responder: { _, _, _ in }, manager: node.manager, http1: .init())
        _ = try await channel.testingEventLoop.executeInContext {
            server.setup(channel: channel, logger: Logger(label: "wse.test"))
        }.get()
        return channel
    }

    @Test func connectionsOverTheBoundOfOneAddressAreClosedAtOnce() async throws {
        let node = TestNode { $0.maxConnectionsPerAddress = 2 }
        let first = try await accept(from: "192.0.2.7", node)
        let second = try await accept(from: "192.0.2.7", node)
        let third = try await accept(from: "192.0.2.7", node)
        #expect(first.isActive && second.isActive)
        #expect(!third.isActive)
        #expect(node.manager.connectionsPerAddress.count(of: "192.0.2.7") == 2)

        let other = try await accept(from: "2001:db8::7", node)
        #expect(other.isActive, "another address has its own count")

        try await first.close()
        let again = try await accept(from: "192.0.2.7", node)
        #expect(again.isActive, "a closed connection frees its place")
        #expect(node.manager.connectionsPerAddress.count(of: "192.0.2.7") == 2)
    }

    @Test func theBoundIsOnByDefaultAndCanBeLifted() async throws {
        #expect(ConnectionManagerConfiguration().maxConnectionsPerAddress == 1024)
        let node = TestNode { $0.maxConnectionsPerAddress = nil }
        for _ in 0..<5 {
            let channel = try await accept(from: "192.0.2.7", node)
            #expect(channel.isActive)
        }
    }
}
