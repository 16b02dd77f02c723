import NIOCore
import NIOPosix
import Testing
@testable import ConnectionManager

/// A client that connects and never sends a request must not hold the node: a graceful shutdown
/// closes its connection at once (before, the node waited for as long as the client stayed).
@Suite struct SilentConnectionTests {
    @Test func aGracefulShutdownClosesAConnectionThatSentNothing() async throws {
        try await TestServer.run { server in
            let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: server.port).get()
            defer { silent.close(promise: nil) }  // lets the server stop even when the check fails
            await server.group.triggerGracefulShutdown()
            let closed = try await withThrowingTaskGroup(of: Bool.self) { race in
                race.addTask { try await silent.closeFuture.get(); return true }
                race.addTask {
                    // Our own close ends the other branch too (a future's wait ignores cancellation).
                    try? await Task.sleep(for: .seconds(5))
                    silent.close(promise: nil)
                    return false
                }
                defer { race.cancelAll() }
                return try await race.next() ?? false
            }
            #expect(closed, "the node closed the silent connection when it began to shut down")
        }
    }
}
