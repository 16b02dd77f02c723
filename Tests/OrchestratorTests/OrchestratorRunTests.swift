import Testing
import WSECore

@testable import Orchestrator

@Suite("OE: running compositions")
struct OrchestratorRunTests {
    @Test("the request, action and user are bound; publications are emitted after the respond; halt ends with done")
    func bindings() async throws {
        let harness = Harness()
        let sink = try await harness.start(#"request.n + 1 | action | user"#, data: ["n": 41], action: "open")
        // The mediator answers `{}` itself once `start` returns, so the respond must come before that.
        #expect(await sink.outputs.first == .respond(["composition": "comp", "version": 1]))
        #expect(try await sink.waitForEnd() == .done)
        let outputs = await sink.outputs
        #expect(outputs.first == .respond(["composition": "comp", "version": 1]))
        #expect(Set(await sink.emitted) == [42, "open", "alice"])
        #expect(outputs.last == .finish(.done))
        #expect(await harness.orchestrator.runningCount == 0)
    }

    @Test("a synchronous service call publishes its answer; the call carries the user and the data")
    func synchronousService() async throws {
        let contacts: JSONValue = ["contacts": [["id": "1", "name": "Bob"], ["id": "2", "name": "Carol"]]]
        let harness = Harness(["contacts": .answer(contacts)])
        let sink = try await harness.start(#"Service("contacts", "list", {. page = 1 .}) >r> each(r.contacts) >c> c.name"#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(Set(await sink.emitted) == ["Bob", "Carol"])
        let invocations = await harness.services.invocations
        #expect(invocations.map(\.service) == ["contacts"])
        #expect(invocations.first?.action == "list")
        #expect(invocations.first?.data == ["page": 1])
        #expect(invocations.first?.user == "alice")
        #expect(await harness.services.cancelled.isEmpty)
    }

    @Test("Service without data sends an empty object")
    func serviceWithoutData() async throws {
        let harness = Harness(["contacts": .answer(["ok": true])])
        let sink = try await harness.start(#"Service("contacts", "list").ok"#)
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.emitted == [true])
        #expect(await harness.services.invocations.first?.data == [:])
    }

    @Test("the newest version runs, and the respond names it")
    func newestVersion() async throws {
        let harness = Harness()
        _ = try await harness.store.saveComposition(id: "comp", source: "1")
        let sink = try await harness.start("2")
        #expect(try await sink.waitForEnd() == .done)
        #expect(await sink.outputs == [.respond(["composition": "comp", "version": 2]), .emit(2), .finish(.done)])
    }

    @Test("a composition that is not in the CSDR is refused with unavailable")
    func missingComposition() async throws {
        let harness = Harness()
        let sink = RecordingSink()
        await #expect(throws: ServiceError.self) {
            try await harness.orchestrator.start(composition: "nope", pid: "c1", action: "open", data: [:], for: alice, sink: sink)
        }
        do {
            try await harness.orchestrator.start(composition: "nope", pid: "c1", action: "open", data: [:], for: alice, sink: sink)
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("\"nope\" is not defined"))
        }
        #expect(await sink.outputs.isEmpty)
    }

    @Test("a failing store is reported as unavailable")
    func storeFailure() async throws {
        let harness = Harness()
        await harness.store.setFailing(true)
        do {
            try await harness.orchestrator.start(composition: "comp", pid: "c1", action: "open", data: [:], for: alice, sink: RecordingSink())
            Issue.record("start should have thrown")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("store"))
        }
    }
}
