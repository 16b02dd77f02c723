import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WSELifecycle

@Suite struct ShutdownHookTests {
    /// A service that runs until its group shuts down.
    struct UntilShutdown: Service {
        func run() async throws { try? await gracefulShutdown() }
    }

    static func group(_ services: [any Service]) -> ServiceGroup {
        ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: Logger(label: "test")))
    }

    @Test func theActionRunsOnceWhenTheGroupShutsDownGracefully() async throws {
        let runs = Mutex(0)
        let group = Self.group([UntilShutdown(), ShutdownHook { runs.withLock { $0 += 1 } }])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(runs.withLock { $0 } == 0)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(runs.withLock { $0 } == 1)
    }

    /// A cancelled group cancels its services' tasks: the action must still run to its end (its own
    /// awaits are not cut short), which is why the hook runs it in a task of its own.
    @Test func aCancelledGroupStillLetsTheActionFinish() async throws {
        let finished = Mutex(false)
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let group = Self.group([
            UntilShutdown(),
            ShutdownHook {
                startedContinuation.yield()
                // Work that a cancelled task would cut short: a cancellation-aware wait on a stream.
                let (work, done) = AsyncStream.makeStream(of: Void.self)
                Task { done.yield(); done.finish() }
                for await _ in work {}
                finished.withLock { $0 = !Task.isCancelled }
            },
        ])
        let run = Task { try await group.run() }
        run.cancel()
        for await _ in started { break }
        _ = try? await run.value
        #expect(finished.withLock { $0 })
    }
}
