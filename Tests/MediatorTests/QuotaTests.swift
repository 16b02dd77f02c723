import Testing
import WSECore

@testable import Mediator

@Suite("Mediator per-session and per-user quotas")
struct QuotaTests {
    @Test("a session over its process limit is answered overloaded; other sessions are not")
    func processesPerSession() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location], quotas: MediatorQuotas(processesPerSession: 2, compositionsPerUser: 8))
        await h.connector.set(location.url, .answer(.success(.accepted)))
        _ = try await h.request("location", id: "r1")
        _ = try await h.request("location", id: "r2", expecting: 2)
        let refused = try await h.request("location", id: "r3", expecting: 3)
        guard case .error("r3", .overloaded, let message) = refused.last else {
            Issue.record("expected overloaded, got \(refused)")
            return
        }
        #expect(message.contains("processesPerSession"))
        let other = try await h.request("location", id: "b1", session: .bob)
        guard case .response("b1", _, _) = other.first else {
            Issue.record("expected a response for another session, got \(other)")
            return
        }
    }

    @Test("a user over the composition limit is answered overloaded, across sessions, until a run ends")
    func compositionsPerUser() async throws {
        let h = try await Harness([.composed("eab")], quotas: MediatorQuotas(processesPerSession: 100, compositionsPerUser: 1))
        let first = try await h.request("eab", id: "r1")
        guard case .response("r1", let pid, _) = first.first else {
            Issue.record("expected a response, got \(first)")
            return
        }
        let secondSession = SessionContext(id: "s-alice-2", principal: .alice)
        let refused = try await h.request("eab", id: "r2", session: secondSession)
        guard case .error("r2", .overloaded, let message) = refused.last else {
            Issue.record("expected overloaded, got \(refused)")
            return
        }
        #expect(message.contains("compositionsPerUser"))
        try await h.mediator.cancel(pid: pid, from: .alice)
        let again = try await h.request("eab", id: "r3", session: secondSession, expecting: 2)
        guard case .response("r3", _, _) = again.last else {
            Issue.record("expected a response once the first run ended, got \(again)")
            return
        }
    }
}
