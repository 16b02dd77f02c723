import Orc
import Testing
import WSETesting
import WSECore

@testable import Orchestrator

@Suite("OE: cancel, errors and limits")
struct OrchestratorFailureTests {
    @Test("cancel kills the run: pending calls and open subscriptions are cancelled, then finish(cancelled)")
    func cancelKillsPendingCalls() async throws {
        let harness = Harness(["slow": .silent, "location": .subscription(ack: [:])])
        let sink = try await harness.start(#"Service("slow", "get") | Subscribe("location", "subscribe") >s> repeat(s.get)"#)
        try await eventually("both processes run") { await harness.services.openPids.count == 2 }
        try await eventually("the subscription is acknowledged") { await harness.services.pids(of: "location").count == 1 }
        await harness.orchestrator.cancel(pid: "c1")
        #expect(await sink.endReason == .cancelled)
        #expect(await sink.outputs.last == .finish(.cancelled))
        let started = Set(await harness.services.invocations.map(\.pid))
        try await eventually("every service process is cancelled") { Set(await harness.services.cancelled) == started }
        #expect(await harness.services.openPids.isEmpty)
        #expect(await harness.orchestrator.runningCount == 0)
    }

    @Test("cancelling an unknown or finished process does nothing")
    func cancelUnknown() async throws {
        let harness = Harness()
        let sink = try await harness.start("1")
        #expect(try await sink.waitForEnd() == .done)
        await harness.orchestrator.cancel(pid: "c1")
        await harness.orchestrator.cancel(pid: "nobody")
        #expect(await sink.outputs.filter { if case .finish = $0 { true } else { false } }.count == 1)
    }

    @Test("pruning kills a pending call: its service process is cancelled at once", .timeLimit(.minutes(1)))
    func pruningCancelsCall() async throws {
        let harness = Harness(["slow": .silent])
        let sink = try await harness.start(#"x <x< (Service("slow", "get") | "fast")"#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == ["fast"])
        try await eventually("the slow call is cancelled") { await harness.services.cancelled == harness.services.pids(of: "slow") }
        #expect(await harness.services.cancelled.count == 1)
    }

    @Test("a refused service (forbidden, unknown) halts the call, the client gets the error with its code, the program goes on",
          arguments: [
              FakeServices.Behaviour.refused(ServiceError(.forbidden, "service \"secret\" is not open to alice")),
              nil,
          ])
    func refusedService(behaviour: FakeServices.Behaviour?) async throws {
        let harness = Harness(behaviour.map { ["secret": $0] } ?? [:])
        let sink = try await harness.start(#"Service("secret", "read") ; "fallback""#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == ["fallback"])
        let failure = try #require(await sink.failures.first)
        #expect(failure.code == (behaviour == nil ? .unknownService : .forbidden))
        #expect(failure.message.contains("secret"))
    }

    @Test("a service that fails after admission: the call halts with its error")
    func failingService() async throws {
        let harness = Harness(["flaky": .fails(ServiceError(.timeout, "the connector did not answer in time"))])
        let sink = try await harness.start(#"Service("flaky", "get") ; "fallback""#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == ["fallback"])
        #expect(await sink.failures == [ServiceError(.timeout, "the connector did not answer in time")])
    }

    @Test("a runtime error of the program is reported as unavailable and only halts that call")
    func programError() async throws {
        let harness = Harness()
        let sink = try await harness.start(#"(1 / 0 ; "after") | Error("boom")"#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == ["after"])
        let failures = await sink.failures
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.code == .unavailable && $0.message.hasPrefix("composition \"comp\": Error: ") })
        #expect(failures.contains { $0.message.contains("boom") })
    }

    @Test("wrong arguments to Service are a bad_request error of the call")
    func badSiteArguments() async throws {
        let harness = Harness(["contacts": .answer([:])])
        let sink = try await harness.start(#"Service(1, "list") | Subscribe("contacts")"#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.failures.map(\.code) == [.badRequest, .badRequest])
        #expect(await harness.services.invocations.isEmpty)
    }

    @Test("runaway recursion hits the token limit: overloaded error, end with reason error, the node goes on")
    func tokenLimit() async throws {
        let harness = Harness(configuration: OrchestratorConfiguration(runLimits: OrcRunLimits(maxTokens: 2000)))
        let sink = try await harness.start("def grow(n) = grow(n + 1) | grow(n + 1)\ngrow(0)")
        #expect(try await sink.waitForEnd() == .error)
        let failure = try #require(await sink.failures.last)
        #expect(failure.code == .overloaded)
        #expect(failure.message.contains("\"comp\" was stopped"))
        let next = try await harness.start("\"still fine\"", pid: "c2")
        #expect(try await next.waitForEnd() == .done)
        #expect(await next.emitted == ["still fine"])
    }

    @Test("a run over its memory budget: overloaded error naming the budget, end with reason error, the node goes on")
    func memoryLimit() async throws {
        let harness = Harness(configuration: OrchestratorConfiguration(runLimits: OrcRunLimits(maxMemory: 1 << 20)))
        let sink = try await harness.start("def f(n) = f(n + 1) >x> x\nf(0)")
        #expect(try await sink.waitForEnd() == .error)
        let failure = try #require(await sink.failures.last)
        #expect(failure.code == .overloaded)
        #expect(failure.message.contains("\"comp\" was stopped"))
        #expect(failure.message.contains("memory budget of 1 MiB"))
        let next = try await harness.start("\"still fine\"", pid: "c2")
        #expect(try await next.waitForEnd() == .done)
    }

    @Test("a client slower than the program's publications: the run is stopped with overloaded, not buffered without end")
    func outputBacklog() async throws {
        let harness = Harness(["slow": .silent, "location": .subscription(ack: [:])],
                              configuration: OrchestratorConfiguration(maxPendingOutputs: 10))
        let source = #"Subscribe("location", "subscribe") >s> (Service("slow", "get") | s.get() >> upto(1000))"#
        _ = try await harness.store.saveComposition(id: "comp", source: source)
        let sink = GatedSink()
        try await harness.orchestrator.start(composition: "comp", pid: "c1", action: "open", data: [:], for: alice, sink: sink)
        try await eventually("both processes run") { await harness.services.openPids.count == 2 }
        // The event lets the program publish 1,000 values while the sink takes none.
        let location = try #require(await harness.services.pids(of: "location").first)
        await harness.services.push(location, ["lat": 1])
        let slow = try #require(await harness.services.pids(of: "slow").first)
        try await eventually("the run is killed, its pending call cancelled") { await harness.services.cancelled.contains(slow) }
        await sink.open()
        #expect(try await sink.recording.waitForEnd() == .error)
        let failure = try #require(await sink.recording.failures.last)
        #expect(failure.code == .overloaded)
        #expect(failure.message.contains("more than 10 publications waited for the client"))
        #expect(await sink.recording.emitted.count <= 11)
    }

    @Test("every composition run has a memory budget by default")
    func defaultMemoryBudget() {
        #expect(OrchestratorConfiguration().runLimits.maxMemory == OrchestratorConfiguration.defaultRunMemory)
    }

    @Test("a run longer than its time limit is stopped at the limit with a timeout error; its calls are cancelled")
    func runTimeLimit() async throws {
        let clock = ManualClock()
        let harness = Harness(["slow": .silent], configuration: OrchestratorConfiguration(maxRunDuration: .seconds(60), clock: clock))
        let sink = try await harness.start(#"Service("slow", "get")"#)
        try await clock.sleepers(reach: 1)
        try await eventually("the slow service is called") { await harness.services.openPids.count == 1 }
        clock.advance(by: .seconds(60) - .milliseconds(1))
        #expect(clock.sleeperCount == 1, "the limit has not passed yet")
        #expect(await sink.endReason == nil)
        #expect(await harness.orchestrator.runningCount == 1)
        clock.advance(by: .milliseconds(1))
        #expect(try await sink.waitForEnd() == .error)
        let failure = try #require(await sink.failures.last)
        #expect(failure.code == .timeout)
        #expect(failure.message.contains("limit of 60.0 seconds"))
        #expect(await harness.services.cancelled == harness.services.pids(of: "slow"))
        #expect(await harness.services.cancelled.count == 1)
    }

    @Test("a run that ends before its time limit leaves no timer behind")
    func runEndsBeforeTimeLimit() async throws {
        let clock = ManualClock()
        let harness = Harness(configuration: OrchestratorConfiguration(maxRunDuration: .seconds(60), clock: clock))
        let sink = try await harness.start(#""quick""#)
        #expect(try await sink.waitForEnd() == .done)
        try await eventually("the run's timer is cancelled") { clock.sleeperCount == 0 }
        #expect(await sink.failures.isEmpty)
    }

    @Test("a stored version that no longer parses is refused with unavailable")
    func storedSourceDoesNotParse() async throws {
        let harness = Harness()
        do {
            _ = try await harness.start("1 +")
            Issue.record("start should have thrown")
        } catch let error as ServiceError {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("does not parse"))
        }
    }
}

/// A sink whose first `emit` waits until the test opens it: a client that reads nothing for a while.
private actor GatedSink: ProcessSink {
    let recording = RecordingSink()
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting = []
    }

    func respond(_ data: JSONValue) async { await recording.respond(data) }
    func emit(_ data: JSONValue) async {
        if !isOpen { await withCheckedContinuation { waiting.append($0) } }
        await recording.emit(data)
    }
    func fail(_ error: ServiceError) async { await recording.fail(error) }
    func finish(_ reason: EndReason) async { await recording.finish(reason) }
}
