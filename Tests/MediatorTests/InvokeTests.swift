import Testing
import WSETesting
import WSECore

@testable import Mediator

@Suite("Mediator ServiceInvoking and composed services")
struct InvokeTests {
    @Test("invoke: a sync answer reaches the sink as respond then finish(done)")
    func invokeSync() async throws {
        let contacts = ServiceDefinition.basic("contacts")
        let h = try await Harness([contacts])
        await h.connector.set(contacts.url, .answer(.success(.result(["n": 1]))))
        let sink = RecordingSink()
        let pid = try await h.mediator.invoke(service: "contacts", action: "list", data: [:], for: .alice, sink: sink)
        try await eventually("two outputs") { await sink.outputs.count == 2 }
        #expect(await sink.outputs == [.respond(["n": 1]), .finish(.done)])
        #expect(await h.connector.sent.first?.call.pid == pid)
    }

    @Test("invoke: refusals are thrown, connector failures reach the sink as fail then finish(error)")
    func invokeFailures() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location, .basic("secret", access: AccessRule(users: ["carol"]))])
        await #expect(throws: ServiceError(.unknownService, "no service named \"nope\"")) {
            try await h.mediator.invoke(service: "nope", action: "a", data: nil, for: .alice, sink: RecordingSink())
        }
        await #expect(throws: ServiceError.self) {
            try await h.mediator.invoke(service: "secret", action: "a", data: nil, for: .alice, sink: RecordingSink())
        }
        await h.connector.set(location.url, .answer(.failure(.timeout)))
        let sink = RecordingSink()
        _ = try await h.mediator.invoke(service: "location", action: "get", data: nil, for: .alice, sink: sink)
        try await eventually("two outputs") { await sink.outputs.count == 2 }
        #expect(await sink.outputs == [.fail(ServiceError(.timeout, "service \"location\" did not answer in time")), .finish(.error)])
    }

    @Test("invoke: pushes for a composition's call count as composed traffic; cancel finishes the sink")
    func invokeAsync() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        let sink = RecordingSink()
        let pid = try await h.mediator.invoke(service: "location", action: "subscribe", data: nil, for: .alice, sink: sink)
        try await eventually("the response") { await sink.outputs.count == 1 }
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: pid, data: 7, final: false, from: identity) == .delivered(1))
        await h.mediator.cancel(pid: pid)
        try await eventually("three outputs") { await sink.outputs.count == 3 }
        #expect(await sink.outputs == [.respond([:]), .emit(7), .finish(.cancelled)])
        try await eventually("the connector cancel") { await h.connector.cancelled.count == 1 }
    }

    @Test("composed: started on the orchestrator with the composition id; early publications follow the response")
    func composed() async throws {
        let h = try await Harness([.composed("eab", composition: "eab-v1")])
        await h.compositions.emitWhileStarting([["card": 1]])
        let messages = try await h.request("eab", action: "open", expecting: 2)
        let started = try #require(await h.compositions.started.first)
        #expect(started.composition == "eab-v1")
        #expect(started.action == "open" && started.user == "alice")
        #expect(messages == [
            .response(id: "r1", pid: started.pid, data: [:]),
            .event(seq: 1, service: "eab", pid: started.pid, data: ["card": 1]),
        ])
        await started.sink.emit(["card": 2])
        await started.sink.finish(.done)
        try await eventually("four messages") { await h.sessions.messages("s-alice").count == 4 }
        #expect(await Array(h.sessions.messages("s-alice").suffix(2)) == [
            .event(seq: 2, service: "eab", pid: started.pid, data: ["card": 2]), .end(pid: started.pid, reason: .done),
        ])
        #expect(await h.registry.trafficSummary() == TrafficSummary(basicRequests: 0, composedRequests: 1, pushes: 2))
    }

    @Test("composed: cancel reaches the orchestrator; a refused start is an error")
    func composedCancelAndRefusal() async throws {
        let h = try await Harness([.composed("eab"), .basic("contacts")])
        let pid = try #require(try await h.request("eab").first?.pid)
        #expect(await h.compositions.started.first?.composition == "eab", "the composition id defaults to the service id")
        try await h.mediator.cancel(pid: pid, from: .alice)
        #expect(await h.compositions.cancelled == [pid])
        try await eventually("end cancelled") { await h.sessions.messages("s-alice").last == .end(pid: pid, reason: .cancelled) }

        await h.compositions.refuse(with: ServiceError(.unavailable, "composition eab does not exist"))
        let refused = try await h.request("eab", id: "r2", expecting: 3)
        #expect(refused.last == .error(id: "r2", code: .unavailable, message: "composition eab does not exist"))
        _ = try await h.request("contacts", id: "r3", expecting: 4)
        let summary = await h.registry.trafficSummary()
        #expect(summary.composedShare == 2.0 / 3.0)
    }
}
