import Testing
import WSETesting
import WSECore

@testable import Mediator

@Suite("Mediator circuit breaker")
struct CircuitBreakerTests {
    /// Makes `count` calls one after the other, each waiting for its answer.
    func call(_ h: Harness, _ service: ServiceID, times count: Int) async throws {
        let before = await h.sessions.messages("s-alice").count
        for n in 1...count {
            _ = try await h.request(service, id: "f\(n)", expecting: before + n)
        }
    }

    @Test("opens after N consecutive failures; calls are then refused without reaching the connector")
    func opens() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location], breakerThreshold: 3)
        await h.connector.set(location.url, .answer(.failure(.unreachable("refused"))))
        try await call(h, "location", times: 2)
        #expect(await h.registry.status(of: "location")?.circuit == .closed)
        try await call(h, "location", times: 3)
        #expect(await h.registry.status(of: "location")?.circuit == .open)
        let sentBefore = await h.connector.sent.count
        let messages = try await h.request("location", id: "late", expecting: 6)
        guard case .error("late", .unavailable, let message) = messages.last else {
            Issue.record("expected unavailable, got \(messages.last as Any)")
            return
        }
        #expect(message.contains("circuit open"))
        #expect(await h.connector.sent.count == sentBefore)
    }

    @Test("a success resets the count; 4xx refusals do not count")
    func successResets() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location], breakerThreshold: 2)
        await h.connector.set(location.url, .answer(.failure(.timeout)))
        _ = try await h.request("location", id: "1", expecting: 1)
        await h.connector.set(location.url, .answer(.success(.result(1))))
        _ = try await h.request("location", id: "2", expecting: 2)
        await h.connector.set(location.url, .answer(.failure(.refused(status: 404, code: nil, message: "no"))))
        _ = try await h.request("location", id: "3", expecting: 3)
        await h.connector.set(location.url, .answer(.failure(.timeout)))
        _ = try await h.request("location", id: "4", expecting: 4)
        let status = try #require(await h.registry.status(of: "location"))
        #expect(status.circuit == .closed)
        #expect(status.consecutiveFailures == 1)
    }

    @Test("open circuit routes to the alternative")
    func openRoutesToAlternative() async throws {
        let backup = ServiceDefinition.basic("backup")
        let location = ServiceDefinition.basic("location", alternatives: ["backup"])
        let h = try await Harness([backup, location], breakerThreshold: 1)
        await h.connector.set(location.url, .answer(.failure(.malformedReply("html"))))
        await h.connector.set(backup.url, .answer(.success(.result("from backup"))))
        _ = try await h.request("location", id: "1", expecting: 1)
        let messages = try await h.request("location", id: "2", expecting: 2)
        guard case .response("2", _, "from backup") = messages.last else {
            Issue.record("expected the backup's answer, got \(messages)")
            return
        }
    }

    @Test("after the cool-down one trial goes through; success closes, failure re-opens")
    func halfOpen() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location], breakerThreshold: 1)
        await h.connector.set(location.url, .answer(.failure(.timeout)))
        _ = try await h.request("location", id: "1", expecting: 1)
        #expect(await h.registry.status(of: "location")?.circuit == .open)
        h.clock.advance(by: .seconds(31))
        #expect(await h.registry.status(of: "location")?.circuit == .halfOpen)

        await h.connector.set(location.url, .hold)
        await h.mediator.handle(ClientRequest(id: "trial", service: "location", action: "get"), from: .alice)
        let trial = try #require(try await h.waitForHeldCall().first)
        let second = try await h.request("location", id: "second", expecting: 2)
        guard case .error("second", .unavailable, _) = second.last else {
            Issue.record("only one trial call may go while half-open, got \(second)")
            return
        }
        await h.connector.release(trial, with: .failure(.timeout))
        try await eventually("trial failure recorded") { await h.sessions.messages("s-alice").count == 3 }
        #expect(await h.registry.status(of: "location")?.circuit == .open, "a failed trial re-opens the circuit")

        h.clock.advance(by: .seconds(31))
        await h.mediator.handle(ClientRequest(id: "trial2", service: "location", action: "get"), from: .alice)
        let trial2 = try #require(try await h.waitForHeldCall().first)
        await h.connector.release(trial2, with: .success(.result("ok")))
        try await eventually("trial success recorded") { await h.sessions.messages("s-alice").count == 4 }
        #expect(await h.registry.status(of: "location")?.circuit == .closed)
        #expect(await h.registry.status(of: "location")?.consecutiveFailures == 0)
    }

    @Test("a cancelled trial frees the half-open slot")
    func cancelledTrial() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location], breakerThreshold: 1)
        await h.connector.set(location.url, .answer(.failure(.timeout)))
        _ = try await h.request("location", id: "1", expecting: 1)
        h.clock.advance(by: .seconds(31))
        await h.connector.set(location.url, .hold)
        await h.mediator.handle(ClientRequest(id: "trial", service: "location", action: "get"), from: .alice)
        let trial = try #require(try await h.waitForHeldCall().first)
        try await h.mediator.cancel(pid: trial, from: .alice)
        await h.mediator.handle(ClientRequest(id: "next", service: "location", action: "get"), from: .alice)
        try await eventually("a new trial call") { await h.connector.sent.count == 3 }
    }
}
