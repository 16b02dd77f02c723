import Testing
import WSETesting
import WSECore

@testable import Orchestrator

@Suite("OE: asynchronous services as streams")
struct OrchestratorStreamTests {
    @Test("Subscribe publishes a stream; each event is read with get() as it arrives; the stream ends with the process")
    func subscriptionStream() async throws {
        let harness = Harness(["location": .subscription(ack: [:])])
        let sink = try await harness.start(
            #"Subscribe("location", "subscribe", {. address = "tel:1", interval = 1 .}) >s> repeat(s.get) >e> e.latitude"#)
        try await eventually("the subscription is open") { await !harness.services.openPids.isEmpty }
        let pid = try #require(await harness.services.pids(of: "location").first)
        #expect(await harness.services.invocations.first?.data == ["address": "tel:1", "interval": 1])
        for latitude in [1.5, 2.5, 3.5] {
            await harness.services.push(pid, ["latitude": .number(latitude)])
            try await eventually("event \(latitude) is published") { await sink.emitted.last == .number(latitude) }
        }
        #expect(await sink.endReason == nil)
        await harness.services.end(pid)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == [1.5, 2.5, 3.5])
    }

    @Test("a synchronous answer merged with subscription events: every event is published as it comes")
    func mergeSyncAndAsync() async throws {
        let contacts: JSONValue = ["contacts": [["id": "b", "address": "tel:b"], ["id": "c", "address": "tel:c"]]]
        let harness = Harness(["contacts": .answer(contacts), "location": .subscription(ack: [:])])
        let sink = try await harness.start(#"""
            Service("contacts", "list") >r> each(r.contacts) >c>
              ( {. id = c.id .}
              | Subscribe("location", "subscribe", {. address = c.address .}) >s> repeat(s.get) >e> {. id = c.id, at = e.t .} )
            """#)
        try await eventually("both subscriptions are open") { await harness.services.pids(of: "location").count == 2 }
        try await eventually("both cards are published") { await sink.emitted.count == 2 }
        #expect(Set(await sink.emitted) == [["id": "b"], ["id": "c"]])
        let invocations = await harness.services.invocations.filter { $0.service == "location" }
        let pidOf = Dictionary(uniqueKeysWithValues: invocations.map { ($0.data["address"]!.stringValue!, $0.pid) })
        let script: [(String, Int)] = [("tel:c", 1), ("tel:b", 2), ("tel:c", 3)]
        for (address, time) in script {
            await harness.services.push(pidOf[address]!, ["t": .number(Double(time))])
            try await eventually("event \(time) is published") { await sink.emitted.count == 2 + time }
        }
        #expect(Array(await sink.emitted.dropFirst(2)) == [["id": "c", "at": 1], ["id": "b", "at": 2], ["id": "c", "at": 3]])
        await harness.orchestrator.cancel(pid: "c1")
        #expect(await sink.endReason == .cancelled)
        #expect(Set(await harness.services.cancelled) == Set(pidOf.values))
    }

    @Test("a subscription that breaks after its acknowledgement: the client is told and the stream ends")
    func lateFailure() async throws {
        let harness = Harness(["location": .subscription(ack: [:])])
        let sink = try await harness.start(#"Subscribe("location", "subscribe") >s> repeat(s.get)"#)
        try await eventually("the subscription is open") { await !harness.services.openPids.isEmpty }
        let pid = try #require(await harness.services.pids(of: "location").first)
        await harness.services.push(pid, ["n": 1])
        await harness.services.end(pid, failing: ServiceError(.unavailable, "location connector went away"))
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == [["n": 1]])
        #expect(await sink.failures == [ServiceError(.unavailable, "location connector went away")])
    }

    @Test("Service on an asynchronous service publishes the acknowledgement; its first event cancels it")
    func serviceOnAsynchronousService() async throws {
        let harness = Harness(["location": .subscription(ack: ["subscribed": true]), "other": .silent])
        // `other` keeps the run alive so that the cancel can only come from the unwanted event.
        let sink = try await harness.start(#"Service("location", "subscribe").subscribed | Service("other", "wait")"#)
        try await eventually("the acknowledgement is published") { await sink.emitted == [true] }
        let pid = try #require(await harness.services.pids(of: "location").first)
        #expect(await harness.services.cancelled.isEmpty)
        await harness.services.push(pid, ["n": 1])
        try await eventually("the unread subscription is cancelled") { await harness.services.cancelled == [pid] }
        await harness.orchestrator.cancel(pid: "c1")
        #expect(await sink.emitted == [true])
    }

    @Test("when the program halts, subscriptions nobody reads any more are cancelled")
    func haltCancelsLeftovers() async throws {
        let harness = Harness(["location": .subscription(ack: [:])])
        let sink = try await harness.start(#"Subscribe("location", "subscribe") >s> "subscribed""#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == ["subscribed"])
        let pid = try #require(await harness.services.pids(of: "location").first)
        #expect(await harness.services.cancelled == [pid])
    }
}
