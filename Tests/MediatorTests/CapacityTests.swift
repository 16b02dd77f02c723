import Testing
import WSETesting
import WSECore

@testable import Mediator

@Suite("Mediator capacity and alternatives")
struct CapacityTests {
    @Test("over capacity without alternative: overloaded; capacity comes back when the call ends")
    func overloaded() async throws {
        let location = ServiceDefinition.basic("location", capacity: 1)
        let h = try await Harness([location])
        await h.connector.set(location.url, .hold)
        await h.mediator.handle(ClientRequest(id: "a", service: "location", action: "get"), from: .alice)
        let pid = try #require(try await h.waitForHeldCall().first)
        let refused = try await h.request("location", id: "b")
        guard case .error("b", .overloaded, _) = refused.first else {
            Issue.record("expected overloaded, got \(refused)")
            return
        }
        await h.connector.release(pid, with: .success(.result(1)))
        try await eventually("capacity released") { await h.registry.status(of: "location")?.inFlight == 0 }
        await h.connector.set(location.url, .answer(.success(.result(2))))
        let messages = try await h.request("location", id: "c", expecting: 3)
        #expect(messages.contains { if case .response("c", _, 2) = $0 { true } else { false } })
    }

    @Test("over capacity: the alternative serves, and events carry the requested service id")
    func alternativeServes() async throws {
        let backup = ServiceDefinition.basic("location-backup")
        let location = ServiceDefinition.basic("location", alternatives: ["location-backup"], capacity: 1)
        let h = try await Harness([backup, location])
        await h.connector.set(location.url, .hold)
        await h.connector.set(backup.url, .answer(.success(.accepted)))
        await h.mediator.handle(ClientRequest(id: "a", service: "location", action: "subscribe"), from: .alice)
        _ = try await h.waitForHeldCall()
        let messages = try await h.request("location", id: "b")
        guard case .response("b", let pid, _) = messages.first else {
            Issue.record("expected a response, got \(messages)")
            return
        }
        let sent = await h.connector.sent
        #expect(sent.last?.endpoint == backup.url)
        #expect(sent.last?.call.service == "location-backup", "the connector learns which of its services serves")
        let identity = try #require(await h.mediator.connector(forKey: "key-location-backup-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: pid, data: ["lat": 1], final: false, from: identity) == .delivered(1))
        try await eventually("the event") { await h.sessions.messages("s-alice").count == 2 }
        #expect(await h.sessions.messages("s-alice").last == .event(seq: 1, service: "location", pid: pid, data: ["lat": 1]))
        #expect(await h.registry.status(of: "location-backup")?.inFlight == 1, "an open subscription counts as in flight")
    }

    @Test("alternatives are tried depth first, in order, skipping those that do not admit the user")
    func alternativeOrder() async throws {
        let h = try await Harness([
            .basic("c", capacity: 1), .basic("b1", alternatives: ["c"], capacity: 1), .basic("b2", capacity: 1),
            .basic("restricted", access: AccessRule(users: ["carol"])),
            .basic("a", alternatives: ["restricted", "b1", "b2"], capacity: 1),
        ])
        for endpoint: ServiceID in ["a", "b1", "c", "b2"] { await h.connector.set(ServiceDefinition.basic(endpoint).url, .hold) }
        for n in 1...4 {
            await h.mediator.handle(ClientRequest(id: "r\(n)", service: "a", action: "get"), from: .alice)
            _ = try await h.waitForHeldCall(count: n)
        }
        let order = await h.connector.sent.map(\.call.service)
        #expect(order == ["a", "b1", "c", "b2"])
        let fifth = try await h.request("a", id: "r5")
        guard case .error("r5", .overloaded, let message) = fifth.last else {
            Issue.record("expected overloaded, got \(fifth)")
            return
        }
        #expect(message.contains("\"a\"") && message.contains("no alternative"), "the refusal names the requested service: \(message)")
    }
}
