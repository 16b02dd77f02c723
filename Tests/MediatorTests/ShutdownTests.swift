import Testing
import WSETesting
import WSECore

@testable import Mediator

@Suite("Mediator shutdown")
struct ShutdownTests {
    @Test("shutdown cancels every process, waits for its call and its connector cancel, then refuses calls")
    func cancelsWaitsAndRefuses() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .hold)
        await h.mediator.handle(ClientRequest(id: "r1", service: "location", action: "get"), from: .alice)
        let pid = try #require(try await h.waitForHeldCall().first)

        let finished = Flag()
        async let stopped: Void = {
            await h.mediator.shutdown()
            await finished.raise()
        }()
        try await eventually("the connector is told of the cancel") { await h.connector.cancelled.count == 1 }
        // The held call ignores cancellation, like a connector that answers anyway: shutdown waits for it.
        #expect(await !finished.isRaised, "shutdown returned before the call it cancelled had finished")
        await h.connector.release(pid, with: .success(.result(["late": true])))
        await stopped
        #expect(await finished.isRaised)

        #expect(await h.connector.cancelled.map(\.pid) == [pid])
        #expect(await h.sessions.messages("s-alice") == [.end(pid: pid, reason: .cancelled)], "the late answer is dropped")
        #expect(await h.mediator.runningProcessCount == 0)
        #expect(await h.registry.status(of: "location")?.inFlight == 0)

        await h.mediator.handle(ClientRequest(id: "r2", service: "location", action: "get"), from: .alice)
        #expect(await h.sessions.messages("s-alice").last == .error(id: "r2", code: .unavailable, message: "the node is shutting down"))
        #expect(await h.registry.status(of: "location")?.inFlight == 0, "the refused call gave its capacity back")
    }

    @Test("shutdown stops running compositions through the orchestrator")
    func stopsCompositions() async throws {
        let h = try await Harness([.composed("eab")])
        _ = try await h.request("eab", action: "open")
        let pid = try #require(await h.compositions.started.first?.pid)
        await h.mediator.shutdown()
        #expect(await h.compositions.cancelled == [pid])
        #expect(await h.sessions.messages("s-alice").last == .end(pid: pid, reason: .cancelled))
    }
}

/// A one-way signal a test can look at.
private actor Flag {
    private(set) var isRaised = false
    func raise() { isRaised = true }
}
