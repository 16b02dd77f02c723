import Testing
import WSETesting
@testable import PresenceServer
@testable import SIP

/// Presence authorisation (RFC 5025 sub-handling) on the embedded server: alice is the presentity, bob the watcher.
@Suite("Presence authorisation rules")
struct PresenceAuthorizationTests {
    typealias Events = PresenceServerTests.Events
    static let alice = SIPURI(user: "alice", host: "127.0.0.1")
    static let bob = SIPURI(user: "bob", host: "127.0.0.1").addressOfRecord

    /// A server where alice has published `open`, and bob's agent; `rules` are alice's rules for bob.
    static func withAliceOnline(
        rules: [String: PresenceRule] = [:], _ body: (PresenceServer, SIPUserAgent, Events) async throws -> Void
    ) async throws {
        let server = PresenceServer(.init(domain: "127.0.0.1", users: PresenceServerTests.users,
                                          rules: [alice.addressOfRecord: rules]))
        try await server.start()
        let alice = try await PresenceServerTests.agent("alice", server: server, kind: .udp, events: Events())
        let bobEvents = Events()
        let bob = try await PresenceServerTests.agent("bob", server: server, kind: .udp, events: bobEvents)
        try await alice.publish(PIDFDocument(entity: Self.alice.description, basic: .open, note: "here"))
        try await body(server, bob, bobEvents)
        await alice.close()
        await bob.close()
        await server.stop()
    }

    static func state(_ event: SIPUserAgentEvent) -> (state: SIPSubscriptionState, document: PIDFDocument?)? {
        if case .presence(_, let document, let state) = event { return (state, document) }
        return nil
    }

    @Test func allowedWatcherSeesThePresence() async throws {
        try await Self.withAliceOnline(rules: [Self.bob: .allow]) { _, bob, events in
            try await bob.subscribe(to: Self.alice)
            _ = try await events.waitFor("active and open") { Self.state($0)?.state.state == "active" && Self.state($0)?.document?.basic == .open }
        }
    }

    @Test func blockedWatcherIsRefused403() async throws {
        try await Self.withAliceOnline(rules: [Self.bob: .block]) { _, bob, events in
            await #expect(throws: SIPUserAgentError.rejected(statusCode: 403, reason: "Watcher Blocked")) {
                try await bob.subscribe(to: Self.alice)
            }
            #expect(events.received.withLock { $0.isEmpty })
        }
    }

    @Test func politelyBlockedWatcherIsActiveButSeesNothing() async throws {
        try await Self.withAliceOnline(rules: [Self.bob: .politeBlock]) { _, bob, events in
            try await bob.subscribe(to: Self.alice)
            let first = try #require(Self.state(try await events.waitFor("active") { Self.state($0)?.state.state == "active" }))
            #expect(first.document == nil, "no presence information, as if alice were offline")
        }
    }

    /// No rule: pending (no presence), and alice's later publication tells bob nothing; then alice allows him.
    @Test func watcherWithoutARuleIsPendingUntilThePresentityAllows() async throws {
        try await Self.withAliceOnline { server, bob, events in
            try await bob.subscribe(to: Self.alice)
            let pending = try #require(Self.state(try await events.waitFor("pending") { Self.state($0)?.state.state == "pending" }))
            #expect(pending.document == nil)
            #expect(await server.rules(of: Self.alice.addressOfRecord).isEmpty)

            await server.setRule(.allow, for: Self.bob, of: Self.alice.addressOfRecord)
            _ = try await events.waitFor("active and open") { Self.state($0)?.state.state == "active" && Self.state($0)?.document?.basic == .open }
            let seen = events.received.withLock { $0.compactMap(Self.state) }
            #expect(seen.filter { $0.state.state == "pending" }.allSatisfy { $0.document == nil })
            #expect(await server.rules(of: Self.alice.addressOfRecord) == [Self.bob: .allow])
        }
    }

    @Test func pendingWatcherThatThePresentityBlocksIsTerminatedRejected() async throws {
        try await Self.withAliceOnline { server, bob, events in
            try await bob.subscribe(to: Self.alice)
            _ = try await events.waitFor("pending") { Self.state($0)?.state.state == "pending" }
            await server.setRule(.block, for: Self.bob, of: Self.alice.addressOfRecord)
            let final = try #require(Self.state(try await events.waitFor("terminated") { Self.state($0)?.state.isTerminated == true }))
            #expect(final.state.reason == "rejected")
            #expect(events.received.withLock { $0.compactMap(Self.state) }.allSatisfy { $0.document == nil })
        }
    }
}
