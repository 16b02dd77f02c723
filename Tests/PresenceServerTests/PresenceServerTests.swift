import NIOCore
import Synchronization
import Testing
import WSETesting
@testable import PresenceServer
@testable import SIP

/// The embedded presence server with real user agents over TCP, and its refusals.
@Suite("Embedded presence server")
struct PresenceServerTests {
    static let users = ["alice": "alice-secret", "bob": "bob-secret", "carol": "carol-secret"]

    /// Collects a user agent's events so a test can wait for one.
    final class Events: Sendable {
        let received = Mutex<[SIPUserAgentEvent]>([])

        func record(_ event: SIPUserAgentEvent) { received.withLock { $0.append(event) } }

        func waitFor(_ what: String, _ predicate: (SIPUserAgentEvent) -> Bool) async throws -> SIPUserAgentEvent {
            var found: SIPUserAgentEvent?
            try await eventually("the event \(what)") {
                found = received.withLock { $0.first(where: predicate) }
                return found != nil
            }
            return found!
        }
    }

    static func agent(_ user: String, server: PresenceServer, kind: SIPTransportKind, events: Events) async throws -> SIPUserAgent {
        let address = kind == .udp ? await server.udpAddress : await server.tcpAddress
        let agent = SIPUserAgent(.init(addressOfRecord: SIPURI(user: user, host: "127.0.0.1"), username: user,
                                       password: Self.users[user]!, server: SIPEndpoint(kind, address!),
                                       timers: SIPTimers())) { events.record($0) }
        try await agent.start()
        return agent
    }

    @Test func presenceAndMessagesOverTCP() async throws {
        let server = PresenceServer(.init(domain: "127.0.0.1", users: Self.users, defaultRule: .allow))
        try await server.start()
        let aliceEvents = Events(), bobEvents = Events()
        let alice = try await Self.agent("alice", server: server, kind: .tcp, events: aliceEvents)
        let bob = try await Self.agent("bob", server: server, kind: .tcp, events: bobEvents)
        let aliceURI = SIPURI(user: "alice", host: "127.0.0.1")
        try await alice.register()
        try await bob.register()

        try await alice.publish(PIDFDocument(entity: aliceURI.description, basic: .open, note: "here"))
        try await bob.subscribe(to: aliceURI)
        _ = try await bobEvents.waitFor("open") {
            if case .presence(_, let document, let state) = $0 { return document?.basic == .open && document?.note == "here" && state.state == "active" }
            return false
        }
        // modify (SIP-If-Match with a body), then remove (Expires: 0): bob hears both
        try await alice.publish(PIDFDocument(entity: aliceURI.description, basic: .closed, note: "away"))
        _ = try await bobEvents.waitFor("closed") {
            if case .presence(_, let document, _) = $0 { return document?.note == "away" }
            return false
        }
        try await alice.unpublish()
        _ = try await bobEvents.waitFor("no state") {
            if case .presence(_, nil, let state) = $0 { return !state.isTerminated }
            return false
        }
        try await bob.unsubscribe(from: aliceURI)
        _ = try await bobEvents.waitFor("terminated") {
            if case .presence(_, _, let state) = $0 { return state.isTerminated }
            return false
        }
        try await alice.sendMessage(to: SIPURI(user: "bob", host: "127.0.0.1"), text: "over tcp")
        _ = try await bobEvents.waitFor("message") { $0 == .message(from: "sip:alice@127.0.0.1", contentType: "text/plain;charset=UTF-8", body: "over tcp") }
        await alice.close()
        await bob.close()
        await server.stop()
    }

    @Test func aSubscriptionEndsWithATimeoutNotifyWhenItExpires() async throws {
        // The server's clock is virtual; bob's agent (which would refresh at 30 s) runs on real time.
        try await withTestEventLoop { clock in
            let server = PresenceServer(.init(tcpPort: nil, domain: "127.0.0.1", users: Self.users,
                                              timers: SIPTimers(eventLoops: clock), defaultRule: .allow))
            try await server.start()
            let bobEvents = Events()
            let bob = SIPUserAgent(.init(addressOfRecord: SIPURI(user: "bob", host: "127.0.0.1"), username: "bob",
                                         password: Self.users["bob"]!,
                                         server: SIPEndpoint(.udp, try #require(await server.udpAddress)),
                                         subscribeExpires: 60)) { bobEvents.record($0) }
            try await bob.start()
            try await bob.subscribe(to: SIPURI(user: "alice", host: "127.0.0.1"))
            _ = try await bobEvents.waitFor("the first NOTIFY") {
                if case .presence(_, _, let state) = $0 { return state.state == "active" }
                return false
            }
            // bob took the NOTIFY; before the clock moves, his 200 must have reached the server, or the
            // server's Timer F would end that NOTIFY at 32 s and drop the subscription.
            try await eventually("the 200 to the first NOTIFY") { await server.layer.pendingTransactions == 0 }
            await clock.advanceTime(to: .uptimeNanoseconds(0) + .seconds(60))
            let final = try await bobEvents.waitFor("the final NOTIFY at 60 s") {
                if case .presence(_, _, let state) = $0 { return state.isTerminated }
                return false
            }
            if case .presence(_, _, let state) = final { #expect(state.reason == "timeout") }
            await bob.close()
            await server.stop()
        }
    }

    @Test func refusalsCarryTheRightStatus() async throws {
        let server = PresenceServer(.init(domain: "127.0.0.1", users: Self.users, defaultRule: .allow))
        try await server.start()
        let alice = try await Self.agent("alice", server: server, kind: .udp, events: Events())
        let aliceURI = SIPURI(user: "alice", host: "127.0.0.1")
        let pidf = Array(PIDFDocument(entity: aliceURI.description, basic: .open).xml.utf8)

        func status(_ method: SIPMethod, uri: SIPURI = aliceURI, headers: [(String, String)], body: [UInt8] = []) async throws -> Int {
            var request = await alice.makeRequest(method, uri: uri, to: uri)
            for (name, value) in headers { request.headers.add(name, value) }
            request.body = body
            return try await alice.execute(&request).statusCode
        }
        #expect(try await status(.publish, headers: [("Event", "dialog"), ("Content-Type", "application/pidf+xml")], body: pidf) == 489)
        #expect(try await status(.publish, headers: [("Event", "presence"), ("SIP-If-Match", "nope")]) == 412)
        #expect(try await status(.publish, headers: [("Event", "presence")]) == 400)
        #expect(try await status(.publish, headers: [("Event", "presence"), ("Content-Type", "text/plain")], body: pidf) == 415)
        #expect(try await status(.publish, headers: [("Event", "presence"), ("Content-Type", "application/pidf+xml")],
                                 body: Array("<presence>".utf8)) == 400)
        #expect(try await status(.publish, uri: SIPURI(user: "bob", host: "127.0.0.1"),
                                 headers: [("Event", "presence"), ("Content-Type", "application/pidf+xml")], body: pidf) == 403)
        #expect(try await status(.subscribe, headers: [("Event", "dialog")]) == 489)
        #expect(try await status(.message, uri: SIPURI(user: "carol", host: "127.0.0.1"), headers: [("Content-Type", "text/plain")],
                                 body: Array("hi".utf8)) == 404)
        #expect(try await status("DANCE", headers: []) == 501)
        var refresh = await alice.makeRequest(.subscribe, uri: aliceURI, to: aliceURI)
        refresh.headers.set(SIPHeaderName.to, "<\(aliceURI)>;tag=unknown")
        refresh.headers.add(SIPHeaderName.event, "presence")
        #expect(try await alice.execute(&refresh).statusCode == 481)
        await alice.close()
        await server.stop()
    }
}
