@testable import ConnectionManager
import Logging
import NIOCore
import Synchronization
import Testing
import WSECore

/// A graceful shutdown returns only once the request and cancel tasks it handed to the mediator have finished.
@Suite(.timeLimit(.minutes(1))) struct ShutdownTaskTests {
    @Test(arguments: [
        #"{"type":"request","id":"r1","service":"s","action":"a"}"#,
        #"{"type":"cancel","pid":"p1"}"#,
    ])
    func shutdownAwaitsTheTasksOnTheirWayToTheMediator(message: String) async throws {
        let node = TestNode()
        let held = HeldRequests()
        node.manager.connect(to: held)
        let (connection, _) = try await node.session("alice")
        try await connection.send(message)
        await held.entered()

        let shutdown = Task {
            await node.manager.shutdown()
            held.record("shutdown returned")
        }
        #expect(TestConnection.closeCode(of: try await connection.next()) == 1001)
        try await connection.channel.close()
        await node.manager.noConnections()
        #expect(held.log.isEmpty, "the mediator's task still runs")

        held.release()
        await shutdown.value
        #expect(held.log == ["task finished", "shutdown returned"])
    }
}

/// A mediator whose `handle` and `cancel` wait until the test releases them.
private final class HeldRequests: ClientRequestHandling {
    private let arrivals = AsyncStream.makeStream(of: Void.self)
    private let gate = AsyncStream.makeStream(of: Void.self)
    private let events = Mutex<[String]>([])

    var log: [String] { events.withLock { $0 } }
    func record(_ event: String) { events.withLock { $0.append(event) } }
    func release() { gate.continuation.finish() }

    /// Returns once a request or cancel has reached this mediator.
    func entered() async {
        var arrived = arrivals.stream.makeAsyncIterator()
        _ = await arrived.next()
    }

    private func hold() async {
        arrivals.continuation.yield()
        for await _ in gate.stream {}
        record("task finished")
    }

    func handle(_ request: ClientRequest, from session: SessionContext) async { await hold() }
    func cancel(pid: ProcessID, from session: SessionContext) async throws(ServiceError) { await hold() }
    func sessionEnded(_ sessionID: SessionID) async {}
}
