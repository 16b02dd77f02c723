@testable import ConnectionManager
import Testing
import WSETesting
import WSECore

/// Sessions over time: events and seq, resume, ack, pushes, slow consumers, heartbeats, expiry, shutdown.
@Suite struct SessionLifeTests {
    private func event(_ n: Int) -> OutboundEvent {
        OutboundEvent(service: "location", pid: "p1", data: ["n": .number(Double(n))])
    }

    /// Reads `count` events; returns their `seq` and `data.n`.
    private func readEvents(_ socket: TestWebSocket, _ count: Int) async throws -> [(seq: Int, n: Int)] {
        var events: [(Int, Int)] = []
        for _ in 0..<count {
            let message = try await socket.nextMessage()
            try #require(message["type"] == "event", "\(message.jsonText)")
            events.append((try #require(message["seq"]?.intValue), try #require(message["data"]?["n"]?.intValue)))
        }
        return events
    }

    @Test func eventsAreNumberedPerSession() async throws {
        try await TestServer.run { server in
            let (a, sessionA) = try await server.session("alice")
            let (b, sessionB) = try await server.session("bob")
            for n in 1...3 { #expect(await server.manager.send(event(n), toSession: sessionA) == .kept) }
            #expect(await server.manager.send(event(9), toSession: sessionB) == .kept)
            #expect(try await readEvents(a, 3).map(\.seq) == [1, 2, 3])
            #expect(try await readEvents(b, 1).map(\.seq) == [1])
            #expect(await server.manager.send(event(1), toSession: "no-such-session") == .sessionGone)
        }
    }

    @Test func resumeReplaysMissedEventsInOrderWithoutDuplicatesThenContinuesLive() async throws {
        try await TestServer.run { server in
            let (socket, session) = try await server.session("alice")
            for n in 1...5 { await server.manager.send(event(n), toSession: session) }
            #expect(try await readEvents(socket, 5).map(\.n) == [1, 2, 3, 4, 5])
            try await socket.send(["type": "ack", "seq": 2])
            try await socket.cut()
            try await eventually("session detached") { !(server.manager.session(withID: session)?.isAttached ?? true) }

            // Pushed while the client is away: kept for the resume.
            for n in 6...8 { #expect(await server.manager.send(event(n), toSession: session) == .kept) }
            #expect(await server.manager.push(toUser: "alice", service: "sip", data: ["n": 9], admitting: { _ in true }).reached == 1)

            // The client had processed only up to seq 4.
            let again = try await server.connect()
            let welcome = try await again.hello(token: "user:alice", resume: (session, 4))
            #expect(welcome["resumed"] == true)
            #expect(welcome["session"]?.stringValue == session.rawValue)
            let replayed = try await readEvents(again, 5)
            #expect(replayed.map(\.seq) == [5, 6, 7, 8, 9])
            #expect(replayed.map(\.n) == [5, 6, 7, 8, 9])
            await server.manager.send(event(10), toSession: session)
            #expect(try await readEvents(again, 1).map(\.seq) == [10])
            #expect(server.requests.endedSessions.isEmpty)
        }
    }

    @Test func ackTrimsTheResumeBuffer() async throws {
        try await TestServer.run { server in
            let (socket, session) = try await server.session("alice")
            for n in 1...4 { await server.manager.send(event(n), toSession: session) }
            _ = try await readEvents(socket, 4)
            try await socket.send(["type": "ack", "seq": 3])
            try await eventually("buffer trimmed") { server.manager.session(withID: session)?.bufferedEvents == 1 }
            try await socket.cut()

            // Events up to 3 are gone: resuming after 2 would lose seq 3, so a fresh session starts.
            let again = try await server.connect()
            let welcome = try await again.hello(token: "user:alice", resume: (session, 2))
            #expect(welcome["resumed"] == false)
            #expect(welcome["session"]?.stringValue != session.rawValue)
            try await eventually("old session ended") { server.requests.endedSessions == [session] }
        }
    }

    @Test func resumeOfAnotherUsersOrAnUnknownSessionStartsAFreshOne() async throws {
        try await TestServer.run { server in
            let (alice, aliceSession) = try await server.session("alice")
            let mallory = try await server.connect()
            let welcome = try await mallory.hello(token: "user:mallory", resume: (aliceSession, 0))
            #expect(welcome["resumed"] == false)
            #expect(welcome["session"]?.stringValue != aliceSession.rawValue)
            let unknown = try await server.connect()
            #expect(try await unknown.hello(token: "user:alice", resume: ("nope", 0))["resumed"] == false)

            // Alice's session is untouched.
            await server.manager.send(event(1), toSession: aliceSession)
            #expect(try await readEvents(alice, 1).map(\.seq) == [1])
        }
    }

    @Test func resumeOnASecondConnectionClosesTheFirst() async throws {
        try await TestServer.run { server in
            let (first, session) = try await server.session("alice")
            let second = try await server.connect()
            #expect(try await second.hello(token: "user:alice", resume: (session, 0))["resumed"] == true)
            #expect(try await first.closeCode() == 1000)
            await server.manager.send(event(1), toSession: session)
            #expect(try await readEvents(second, 1).map(\.seq) == [1])
        }
    }

    @Test func normalClosureByTheClientEndsTheSessionAtOnce() async throws {
        try await TestServer.run { server in
            let (socket, session) = try await server.session("alice")
            try await socket.send(.init(fin: true, opcode: .connectionClose, data: .init(bytes: [0x03, 0xE8])))
            #expect(try await socket.closeCode() == 1000)
            try await eventually("sessionEnded called") { server.requests.endedSessions == [session] }
        }
    }

    @Test func pushReachesEverySessionOfTheUserOnly() async throws {
        try await TestServer.run { server in
            let (a1, _) = try await server.session("alice")
            let (a2, _) = try await server.session("alice")
            let (bob, _) = try await server.session("bob")
            #expect(await server.manager.push(toUser: "alice", service: "sip", data: ["n": 1], admitting: { _ in true }) == UserPushReach(sessions: 2, reached: 2))
            #expect(await server.manager.push(toUser: "nobody", service: "sip", data: ["n": 1], admitting: { _ in true }).sessions == 0)
            #expect(await server.manager.push(toUser: "alice", service: "sip", data: ["n": 2], admitting: { _ in false }) == UserPushReach(sessions: 2, reached: 0))
            for socket in [a1, a2] {
                let message = try await socket.nextMessage()
                #expect(message == ["type": "event", "seq": 1, "service": "sip", "data": ["n": 1]])
            }
            try await bob.send(["type": "request", "id": "b", "service": "echo", "action": "a"])
            #expect(try await bob.nextMessage()["type"] == "response")
        }
    }

    /// The wiring of the send queue over real sockets: the kernel's buffers fill, NIO reports the channel
    /// unwritable, and the hard limit closes at once (the grace timer is tested on a test event loop).
    @Test func slowConsumerIsClosed4429AndOthersAreUnaffected() async throws {
        let configuration = TestServer.configuration {
            $0.sendQueueBytes = 16 * 1024
            $0.sendQueueHardLimit = 64 * 1024
            $0.slowConsumerGrace = .seconds(3600)
            $0.resumeBufferEvents = 100_000
            $0.resumeBufferBytes = 1 << 30
        }
        try await TestServer.run(configuration) { server in
            let (slow, slowSession) = try await server.session("alice")
            let (other, otherSession) = try await server.session("bob")
            try await slow.setReading(false)
            let chunk = String(repeating: "x", count: 8 * 1024)
            // Fill the kernel buffers and the send queue until the node gives up on the client.
            try await eventually("slow consumer detached", within: .seconds(30)) {
                for _ in 0..<50 {
                    await server.manager.send(OutboundEvent(service: "s", pid: nil, data: .string(chunk)), toSession: slowSession)
                }
                return !(server.manager.session(withID: slowSession)?.isAttached ?? true)
            }
            await server.manager.send(event(1), toSession: otherSession)
            #expect(try await readEvents(other, 1).map(\.seq) == [1])

            try await slow.setReading(true)
            #expect(try await slow.closeCode(within: .seconds(10)) == 4429)
            try await other.send(["type": "request", "id": "still", "service": "echo", "action": "a"])
            #expect(try await other.nextMessage()["id"] == "still")
        }
    }

    @Test func theManagerStopsOnlyOnceTheMediatorKnowsEveryEndedSession() async throws {
        var requests: FakeRequests?
        var sessions: Set<SessionID> = []
        try await TestServer.run { server in
            requests = server.requests
            let (_, a) = try await server.session("alice")
            let (b, sessionB) = try await server.session("bob")
            try await b.send(.init(fin: true, opcode: .connectionClose, data: .init(bytes: [0x03, 0xE8])))
            sessions = [a, sessionB]
        }
        // The group has returned: both sessionEnded calls (one on a client's close, one on shutdown) are done.
        #expect(Set(try #require(requests).endedSessions) == sessions)
    }

    @Test func gracefulShutdownCloses1001AndEndsEverySession() async throws {
        try await TestServer.run { server in
            let (a, sessionA) = try await server.session("alice")
            let (b, sessionB) = try await server.session("bob")
            await server.group.triggerGracefulShutdown()
            #expect(try await a.closeCode() == 1001)
            #expect(try await b.closeCode() == 1001)
            try await eventually("sessionEnded for both") { Set(server.requests.endedSessions) == [sessionA, sessionB] }
        }
    }
}
