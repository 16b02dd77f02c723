import Testing
import WSETesting
import WSECore

@testable import Mediator

@Suite("Mediator routing")
struct RoutingTests {
    @Test("a synchronous 200 becomes a response with a pid and no end")
    func syncResult() async throws {
        let contacts = ServiceDefinition.basic("contacts")
        let h = try await Harness([contacts])
        await h.connector.set(contacts.url, .answer(.success(.result(["contacts": []]))))
        let messages = try await h.request("contacts", action: "list", data: ["page": 1])
        guard case .response(let id, let pid, let data) = messages.first else {
            Issue.record("expected a response, got \(messages)")
            return
        }
        #expect(id == "r1")
        #expect(data == ["contacts": []])
        let sent = try #require(await h.connector.sent.first)
        #expect(sent.call == ConnectorCall(pid: pid, service: "contacts", action: "list", user: "alice", data: ["page": 1], callback: Harness.callback))
        #expect(sent.endpoint == contacts.url)
        #expect(sent.key == "key-contacts-0123456789abcdefghij")
        #expect(sent.timeout == .seconds(2))
        try await eventually("the process to end") { await h.mediator.runningProcessCount == 0 }
        #expect(await h.sessions.messages("s-alice").count == 1, "a sync answer needs no end message")
        #expect(await h.registry.status(of: "contacts")?.inFlight == 0)
    }

    @Test("an unknown service is refused with unknown_service")
    func unknownService() async throws {
        let h = try await Harness([.basic("contacts")])
        let messages = try await h.request("nope", id: "r9")
        #expect(messages == [.error(id: "r9", code: .unknownService, message: "no service named \"nope\"")])
        #expect(await h.connector.sent.isEmpty)
    }

    @Test("access rules by role, retailer and user", arguments: [
        AccessRule(roles: ["subscriber"]), AccessRule(retailers: ["shop"]), AccessRule(users: ["alice"]),
    ])
    func accessRules(rule: AccessRule) async throws {
        let h = try await Harness([.basic("operator-db", access: rule)])
        let allowed = try await h.request("operator-db", session: .alice)
        #expect(allowed.first.map { if case .response = $0 { true } else { false } } == true)
        let refused = try await h.request("operator-db", id: "b1", session: .bob)
        guard case .error(let id, let code, _) = refused.first else {
            Issue.record("expected an error, got \(refused)")
            return
        }
        #expect(id == "b1")
        #expect(code == .forbidden)
        #expect(await h.connector.sent.count == 1, "a refused call never reaches the connector")
    }

    @Test("a forbidden service is not rerouted to an alternative that would admit the user")
    func forbiddenIsNotRerouted() async throws {
        let h = try await Harness([.basic("open"), .basic("closed", alternatives: ["open"], access: AccessRule(users: ["carol"]))])
        let messages = try await h.request("closed")
        #expect(messages.first.map { if case .error(_, .forbidden, _) = $0 { true } else { false } } == true)
    }

    @Test("connector failures become client errors", arguments: [
        (ConnectorFailure.timeout, ErrorCode.timeout),
        (.unreachable("connection refused"), .unavailable),
        (.malformedReply("not JSON"), .unavailable),
        (.refused(status: 503, code: "down", message: "maintenance"), .unavailable),
        (.refused(status: 404, code: nil, message: "no such action"), .unavailable),
        (.refused(status: 400, code: "bad_request", message: "address missing"), .badRequest),
    ])
    func connectorFailures(failure: ConnectorFailure, expected: ErrorCode) async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.failure(failure)))
        let messages = try await h.request("location", id: "x")
        guard case .error(let id, let code, let message) = messages.first else {
            Issue.record("expected an error, got \(messages)")
            return
        }
        #expect(id == "x")
        #expect(code == expected)
        if case .refused(400, _, let text) = failure { #expect(message.hasSuffix(text), "a connector 400 passes its message through") }
        try await eventually("the process to end") { await h.mediator.runningProcessCount == 0 }
        #expect(await h.sessions.messages("s-alice").count == 1, "an error needs no end message")
        #expect(await h.registry.status(of: "location")?.errors[expected.rawValue] == 1)
        #expect(await h.registry.status(of: "location")?.inFlight == 0)
    }

    @Test("a composed service without an orchestrator is unavailable")
    func composedWithoutOrchestrator() async throws {
        let h = try await Harness([.composed("eab")], orchestrator: false)
        let messages = try await h.request("eab")
        #expect(messages.first.map { if case .error(_, .unavailable, _) = $0 { true } else { false } } == true)
        #expect(await h.registry.status(of: "eab")?.inFlight == 0)
    }
}
