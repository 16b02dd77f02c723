import Foundation
import SIP
import Synchronization
import Testing
import WSETesting

/// Kamailio's presence authorisation, as kamailio.sh provisions it for the demo (RFC 5025 pres-rules in its
/// integrated XCAP table): a contact watching alice sees her presence (active), a stranger stays pending and
/// sees nothing, on a real Kamailio.
@Suite(.serialized, .timeLimit(.minutes(1))) struct KamailioPresenceRulesTests {
    /// Every SIP event one user agent reported.
    final class Events: Sendable {
        let received = Mutex<[SIPUserAgentEvent]>([])

        func record(_ event: SIPUserAgentEvent) { received.withLock { $0.append(event) } }

        /// The presence states reported for `entity`.
        func presence(of entity: String) -> [(document: PIDFDocument?, state: SIPSubscriptionState)] {
            received.withLock { events in
                events.compactMap { event in
                    guard case .presence(let about, let document, let state) = event, about == entity else { return nil }
                    return (document, state)
                }
            }
        }
    }

    static let stranger = ("dave", "dave-secret-0123")

    static func agent(_ user: String, password: String, on backend: SIPBackend, events: Events) async throws -> SIPUserAgent {
        let agent = SIPUserAgent(.init(
            addressOfRecord: SIPURI(user: user, host: SIPBackend.domain), username: user, password: password,
            server: try backend.endpoint, timers: SIPTimers())) { events.record($0) }
        try await agent.start()
        return agent
    }

    @Test func aContactSeesAlicesPresenceAndAStrangerStaysPending() async throws {
        let backend = try await SIPBackend.start(.kamailio, strangers: [Self.stranger.0: Self.stranger.1])
        let aliceEvents = Events(), bobEvents = Events(), daveEvents = Events()
        let alice = try await Self.agent("alice", password: SIPBackend.users["alice"]!, on: backend, events: aliceEvents)
        let bob = try await Self.agent("bob", password: SIPBackend.users["bob"]!, on: backend, events: bobEvents)
        let dave = try await Self.agent(Self.stranger.0, password: Self.stranger.1, on: backend, events: daveEvents)
        do {
            let aliceURI = SIPURI(user: "alice", host: SIPBackend.domain)
            try await alice.register()
            try await alice.publish(PIDFDocument(entity: aliceURI.description, basic: .open, note: "at her desk"))
            try await bob.subscribe(to: aliceURI)
            try await dave.subscribe(to: aliceURI)
            try await eventually("bob sees alice open") {
                bobEvents.presence(of: aliceURI.addressOfRecord).contains { $0.state.state == "active" && $0.document?.note == "at her desk" }
            }
            try await eventually("dave is told his watching is pending") {
                daveEvents.presence(of: aliceURI.addressOfRecord).contains { $0.state.state == "pending" }
            }
            let seenByDave = daveEvents.presence(of: aliceURI.addressOfRecord)
            #expect(seenByDave.allSatisfy { $0.state.state != "active" && $0.document?.basic == nil }, "\(seenByDave.map(\.state))")
        } catch {
            await backend.stop()
            throw error
        }
        for agent in [alice, bob, dave] { await agent.close() }
        await backend.stop()
    }
}
