import Testing
import WSETesting
import WSECore

@testable import Mediator

@Suite("Mediator cancel and session end")
struct CancelTests {
    @Test("cancel ends an open process with end cancelled and tells the connector")
    func cancelOpenProcess() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        let pid = try #require(try await h.request("location", action: "subscribe").first?.pid)
        try await h.mediator.cancel(pid: pid, from: .alice)
        try await eventually("the end message") { await h.sessions.messages("s-alice").count == 2 }
        #expect(await h.sessions.messages("s-alice").last == .end(pid: pid, reason: .cancelled))
        try await eventually("the connector to hear of it") { await h.connector.cancelled.count == 1 }
        let told = try #require(await h.connector.cancelled.first)
        #expect(told.pid == pid && told.endpoint == location.url && told.key == "key-location-0123456789abcdefghij")
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: pid, data: 1, final: false, from: identity) == .notFound("no running process \"\(pid)\""))
        #expect(await h.registry.status(of: "location")?.inFlight == 0)
    }

    @Test("cancel of an unknown pid or of another session's process is unknown_process")
    func cancelNotYours() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        let pid = try #require(try await h.request("location").first?.pid)
        await #expect(throws: ServiceError(.unknownProcess, "no running process \"\(pid)\" in this session")) {
            try await h.mediator.cancel(pid: pid, from: .bob)
        }
        await #expect(throws: ServiceError(.unknownProcess, "no running process \"nope\" in this session")) {
            try await h.mediator.cancel(pid: "nope", from: .alice)
        }
        #expect(await h.mediator.runningProcessCount == 1)
    }

    @Test("cancel while the connector call is on the way: end cancelled, the late answer is dropped")
    func cancelBeforeAnswer() async throws {
        let location = ServiceDefinition.basic("location", capacity: 1)
        let h = try await Harness([location])
        await h.connector.set(location.url, .hold)
        await h.mediator.handle(ClientRequest(id: "r1", service: "location", action: "get"), from: .alice)
        let pid = try #require(try await h.waitForHeldCall().first)
        try await h.mediator.cancel(pid: pid, from: .alice)
        #expect(await h.registry.status(of: "location")?.inFlight == 0)
        await h.connector.release(pid, with: .success(.result("late")))
        try await eventually("the end message") { await h.sessions.messages("s-alice").count >= 1 }
        #expect(await h.sessions.messages("s-alice") == [.end(pid: pid, reason: .cancelled)])
        #expect(await h.registry.status(of: "location")?.circuit == .closed)
    }

    @Test("a session's end cancels its processes silently and leaves other sessions' alone")
    func sessionEnded() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        _ = try await h.request("location", id: "a1")
        _ = try await h.request("location", id: "a2", expecting: 2)
        let bobs = try #require(try await h.request("location", id: "b1", session: .bob).first?.pid)
        await h.mediator.sessionEnded("s-alice")
        try await eventually("both connector cancels") { await h.connector.cancelled.count == 2 }
        #expect(await h.sessions.messages("s-alice").count == 2, "nothing is written to an ended session")
        #expect(await h.mediator.runningProcessCount == 1)
        #expect(await h.registry.status(of: "location")?.inFlight == 1)
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: bobs, data: 1, final: false, from: identity) == .delivered(1))
    }
}
