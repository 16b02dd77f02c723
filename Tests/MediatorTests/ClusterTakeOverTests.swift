import Synchronization
import Testing
import WSETesting
import WSECore

@testable import Mediator

/// Cluster mode in the mediator (docs/CLUSTER.md): the process directory hook, a session's processes let go to
/// another node, and the processes of a session that moved here adopted (compositions answered `node_lost`).
@Suite("Mediator in a cluster")
struct ClusterTakeOverTests {
    /// Records the directory calls, and what connector OUT had been sent when each entry was stored.
    final class RecordingDirectory: ProcessDirectory {
        let connector: FakeConnectorClient
        let log = Mutex<[String]>([])

        init(connector: FakeConnectorClient) { self.connector = connector }

        func processStarted(_ process: DirectoryProcess) async {
            let callsBefore = await connector.sent.count
            log.withLock { $0.append("started \(process.pid) \(process.session?.rawValue ?? "-") composed:\(process.composed) calls:\(callsBefore)") }
        }

        func processEnded(_ pid: ProcessID) { log.withLock { $0.append("ended \(pid)") } }
    }

    @Test("each process is in the directory before its connector is called, and leaves it when it ends")
    func directoryEntryBeforeTheConnectorCall() async throws {
        let location = ServiceDefinition.basic("location")
        let connector = FakeConnectorClient()
        let directory = RecordingDirectory(connector: connector)
        var configuration = MediatorConfiguration(callbackURL: Harness.callback)
        configuration.processDirectory = directory
        let registry = ServiceRegistry(store: FakeServiceStore([location]), configuration: configuration)
        _ = try await registry.load()
        let sessions = FakeSessionOutput()
        let mediator = Mediator(registry: registry, connectors: connector, sessions: sessions, configuration: configuration)
        await connector.set(location.url, .answer(.success(.result(["ok": true]))))
        await mediator.handle(ClientRequest(id: "r1", service: "location", action: "get"), from: .alice)
        try await eventually("the answer") { await sessions.messages("s-alice").count == 1 }
        guard case .response(_, let pid, _) = await sessions.messages("s-alice").first else { throw TestFailure("no response") }
        try await eventually("the end is recorded") { directory.log.withLock { $0.count == 2 } }
        #expect(directory.log.withLock { $0 } == ["started \(pid) s-alice composed:false calls:0", "ended \(pid)"])
    }

    @Test("a session let go to another node leaves its processes running there: no connector cancel, capacity given back")
    func letGoKeepsTheConnectorProcess() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        guard case .response(_, let pid, _) = try await h.request("location", action: "subscribe").first else { throw TestFailure("no response") }
        #expect(try #require(await h.registry.status(of: "location")).inFlight == 1)

        await h.mediator.letGo(ofSession: "s-alice")
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: pid, data: 1, final: false, from: identity) == .notFound("no running process \"\(pid)\""))
        #expect(await h.connector.cancelled.isEmpty, "the process lives on, on the other node")
        #expect(try #require(await h.registry.status(of: "location")).inFlight == 0)
        #expect(await h.sessions.messages("s-alice").count == 1, "nothing is sent to the session that left")
    }

    @Test("a graceful stop that hands over lets the sessions' basic processes go; a composition is still cancelled")
    func shutdownHandsOverBasicProcesses() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location, .composed("eab")], handsOverOnShutdown: true)
        await h.connector.set(location.url, .answer(.success(.accepted)))
        guard case .response(_, let pid, _) = try await h.request("location", action: "subscribe").first else { throw TestFailure("no response") }
        _ = try await h.request("eab", id: "r2", expecting: 2)

        await h.mediator.shutdown()
        #expect(await h.connector.cancelled.isEmpty, "process \(pid) lives on, for the node where the session resumes")
        #expect(await h.compositions.cancelled.count == 1)
        #expect(await h.sessions.messages("s-alice").allSatisfy { if case .end(pid, _) = $0 { false } else { true } })
        #expect(try #require(await h.registry.status(of: "location")).inFlight == 0)
    }

    @Test("a push whose event reached the session but could not be committed is answered unavailable, so the connector retries")
    func aPushThatCouldNotBeCommittedIsUnavailable() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location])
        await h.connector.set(location.url, .answer(.success(.accepted)))
        guard case .response(_, let pid, _) = try await h.request("location", action: "subscribe").first else { throw TestFailure("no response") }
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        await h.sessions.setSessions(of: "alice", count: 1)

        await h.sessions.failCommits(true)
        guard case .unavailable = await h.mediator.processData(pid: pid, data: 1, final: false, from: identity) else {
            throw TestFailure("a push not committed must not be answered 202")
        }
        guard case .unavailable = await h.mediator.userPush(user: "alice", service: "location", data: 2, from: identity) else {
            throw TestFailure("a user push not committed must not be answered 202")
        }
        await h.sessions.failCommits(false)
        #expect(await h.mediator.processData(pid: pid, data: 3, final: false, from: identity) == .delivered(1), "the process still runs")
        #expect(await h.mediator.userPush(user: "alice", service: "location", data: 4, from: identity) == .delivered(1))
    }

    @Test("adopted basic processes take pushes; a composition of the dead node ends with node_lost")
    func adoptedProcessesAndLostCompositions() async throws {
        let location = ServiceDefinition.basic("location")
        let h = try await Harness([location, .composed("eab")])
        await h.mediator.adopt(session: .alice, processes: [
            DirectoryProcess(pid: "p-moved", session: "s-alice", user: "alice", requestedService: "location", servingService: "location", composed: false),
            DirectoryProcess(pid: "p-orc", session: "s-alice", user: "alice", requestedService: "eab", servingService: "eab", composed: true),
        ])
        #expect(await h.sessions.messages("s-alice") == [
            .error(id: nil, code: .nodeLost, message: "process p-orc of \"eab\" ran on a node that is gone; start it again"),
            .end(pid: "p-orc", reason: .error),
        ])
        #expect(try #require(await h.registry.status(of: "location")).inFlight == 1)
        let identity = try #require(await h.mediator.connector(forKey: "key-location-0123456789abcdefghij"))
        #expect(await h.mediator.processData(pid: "p-moved", data: ["n": 7], final: true, from: identity) == .delivered(1))
        try await eventually("the event and the end") { await h.sessions.messages("s-alice").count == 4 }
        #expect(await Array(h.sessions.messages("s-alice").dropFirst(2)) == [
            .event(seq: 1, service: "location", pid: "p-moved", data: ["n": 7]),
            .end(pid: "p-moved", reason: .done),
        ])
        #expect(try #require(await h.registry.status(of: "location")).inFlight == 0)
    }
}
