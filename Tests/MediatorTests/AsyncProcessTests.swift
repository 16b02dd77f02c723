import Testing
import WSETesting
import WSECore

@testable import Mediator

@Suite("Mediator asynchronous processes and connector IN")
struct AsyncProcessTests {
    @Test("202 then pushes then final: response, events, end done; the pid is gone afterwards")
    func acceptedThenPushes() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        let first = try await h.request("location", action: "subscribe")
        guard case .response("r1", let pid, let data) = first.first else {
            Issue.record("expected a response, got \(first)")
            return
        }
        #expect(data == [:])
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: pid, data: ["n": 1], final: false, from: identity) == .delivered(1))
        #expect(await h.mediator.processData(pid: pid, data: ["n": 2], final: true, from: identity) == .delivered(1))
        try await eventually("four messages") { await h.sessions.messages("s-alice").count == 4 }
        #expect(await Array(h.sessions.messages("s-alice").dropFirst()) == [
            .event(seq: 1, service: "location", pid: pid, data: ["n": 1]),
            .event(seq: 2, service: "location", pid: pid, data: ["n": 2]),
            .end(pid: pid, reason: .done),
        ])
        #expect(await h.mediator.processData(pid: pid, data: 3, final: false, from: identity) == .notFound("no running process \"\(pid)\""))
        let status = try #require(await h.registry.status(of: "location"))
        #expect(status.inFlight == 0)
        #expect(status.pushes == 2)
        #expect(status.requests == 1)
    }

    @Test("pushes that overtake the connector's 202 reach the client after the response, in order")
    func pushBeforeAccepted() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .hold)
        await h.mediator.handle(ClientRequest(id: "r1", service: "location", action: "subscribe"), from: .alice)
        let pid = try #require(try await h.waitForHeldCall().first)
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: pid, data: 1, final: false, from: identity) == .delivered(1))
        #expect(await h.mediator.processData(pid: pid, data: 2, final: true, from: identity) == .delivered(1))
        #expect(await h.sessions.messages("s-alice").isEmpty, "nothing before the response")
        await h.connector.release(pid, with: .success(.accepted))
        try await eventually("four messages") { await h.sessions.messages("s-alice").count == 4 }
        #expect(await h.sessions.messages("s-alice") == [
            .response(id: "r1", pid: pid, data: [:]),
            .event(seq: 1, service: "location", pid: pid, data: 1),
            .event(seq: 2, service: "location", pid: pid, data: 2),
            .end(pid: pid, reason: .done),
        ])
        try await eventually("the table to empty") { await h.mediator.runningProcessCount == 0 }
    }

    @Test("another connector's key cannot push into a process; unknown keys have no connector")
    func wrongConnector() async throws {
        let location = ServiceDefinition.basic("location")
        let contacts = ServiceDefinition.basic("contacts")
        let h = try await Harness([location, contacts])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        let messages = try await h.request("location")
        let pid = try #require(messages.first?.pid)
        let other = try #require(await h.mediator.connector(forKey: "key-contacts-0123456789abcdefghij"))
        #expect(other.services == ["contacts"])
        guard case .forbidden = await h.mediator.processData(pid: pid, data: 1, final: false, from: other) else {
            Issue.record("expected forbidden")
            return
        }
        #expect(await h.mediator.connector(forKey: "wrong") == nil)
        #expect(await h.mediator.processData(pid: "p-unknown", data: 1, final: false, from: other) == .notFound("no running process \"p-unknown\""))
        #expect(await h.sessions.messages("s-alice").count == 1, "nothing reached the session")
    }

    @Test("services sharing a connector key form one connector identity")
    func sharedKey() async throws {
        let h = try await Harness([.basic("sip", key: "ims-key-0123456789abcdefghij"), .basic("presence", key: "ims-key-0123456789abcdefghij")])
        #expect(await h.mediator.connector(forKey: "ims-key-0123456789abcdefghij")?.services == ["sip", "presence"])
    }

    @Test("unsolicited pushes go to every session of the user, only for services the key serves")
    func userPush() async throws {
        let h = try await Harness([.basic("sip", key: "ims-key-0123456789abcdefghij"), .basic("contacts")])
        let ims = try #require(await h.mediator.connector(forKey: "ims-key-0123456789abcdefghij"))
        await h.sessions.setSessions(of: "alice", count: 2)
        #expect(await h.mediator.userPush(user: "alice", service: "sip", data: ["kind": "message"], from: ims) == .delivered(2))
        #expect(await h.sessions.pushes.map(\.service) == ["sip"])
        #expect(await h.mediator.userPush(user: "nobody", service: "sip", data: 1, from: ims) == .notFound("user \"nobody\" has no session"))
        guard case .forbidden = await h.mediator.userPush(user: "alice", service: "contacts", data: 1, from: ims) else {
            Issue.record("expected forbidden")
            return
        }
        #expect(await h.sessions.pushes.count == 1)
        #expect(await h.registry.status(of: "sip")?.pushes == 1)
    }

    @Test("an unsolicited push reaches only sessions the access rule admits, unless the user runs that service")
    func userPushFollowsAccessRule() async throws {
        let sip = ServiceDefinition.basic("sip", key: "ims-key-0123456789abcdefghij", access: AccessRule(roles: ["subscriber"]))
        let h = try await Harness([sip])
        let ims = try #require(await h.mediator.connector(forKey: "ims-key-0123456789abcdefghij"))
        await h.sessions.setSessions([.alice, .alice, .bob])
        #expect(await h.mediator.userPush(user: "alice", service: "sip", data: 1, from: ims) == .delivered(2))
        guard case .forbidden = await h.mediator.userPush(user: "bob", service: "sip", data: 2, from: ims) else {
            Issue.record("expected forbidden for a user the access rule refuses")
            return
        }
        #expect(await h.sessions.pushes.map(\.user) == ["alice"])
    }

    @Test("a user with a running process of the service gets its pushes even when the rule now refuses them")
    func userPushToRunningProcessOwner() async throws {
        let open = ServiceDefinition.basic("sip", key: "ims-key-0123456789abcdefghij")
        let h = try await Harness([open])
        await h.connector.set(open.url, .answer(.success(.accepted)))
        _ = try await h.request("sip", session: .bob)
        var closed = open
        closed.access = AccessRule(users: ["alice"])
        try await h.registry.put(closed)
        let ims = try #require(await h.mediator.connector(forKey: "ims-key-0123456789abcdefghij"))
        await h.sessions.setSessions([.bob])
        #expect(await h.mediator.userPush(user: "bob", service: "sip", data: 1, from: ims) == .delivered(1))
    }

    @Test("a process whose session vanished is cancelled at its connector")
    func sessionVanished() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        let pid = try #require(try await h.request("location").first?.pid)
        await h.sessions.markGone("s-alice")
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        _ = await h.mediator.processData(pid: pid, data: 1, final: false, from: identity)
        try await eventually("the connector to hear of the cancel") { await h.connector.cancelled.map(\.pid) == [pid] }
        #expect(await h.mediator.processData(pid: pid, data: 2, final: false, from: identity) == .notFound("no running process \"\(pid)\""))
        #expect(await h.registry.status(of: "location")?.inFlight == 0)
    }
}
