import Testing
import WSETesting
import WSECore

@testable import Orchestrator

/// The version of each composition the OE keeps for store outages, refreshed when the store reports a change.
@Suite("OE: compositions while the store is away")
struct CompositionRefreshTests {
    static func run(_ harness: Harness, pid: ProcessID) async throws -> RecordingSink {
        let sink = RecordingSink()
        try await harness.orchestrator.start(composition: "comp", pid: pid, action: "open", data: [:], for: alice, sink: sink)
        #expect(try await sink.waitForEnd() == .done)
        return sink
    }

    @Test("a composition read before starts from the version read last while the store fails")
    func startsTheLastReadVersionWhileTheStoreFails() async throws {
        let harness = Harness()
        #expect(try await harness.start("1").waitForEnd() == .done)
        await harness.store.setFailing(true)
        #expect(try await Self.run(harness, pid: "c2").emitted == [1])
        // One never read cannot start.
        await #expect(throws: ServiceError.self) {
            try await harness.orchestrator.start(composition: "other", pid: "c3", action: "open", data: [:], for: alice, sink: RecordingSink())
        }
    }

    @Test("a change reported by the store is read at once, so an outage afterwards runs the new version")
    func aReportedChangeIsReadAtOnce() async throws {
        let harness = Harness()
        #expect(try await harness.start("1").waitForEnd() == .done)
        _ = try await harness.store.saveComposition(id: "comp", source: "2")
        await harness.orchestrator.compositionChanged("comp")
        await harness.store.setFailing(true)
        #expect(try await Self.run(harness, pid: "c2").emitted == [2])
    }
}
