import WSECore

@testable import Orchestrator

/// An orchestrator over an in-memory CSDR and fake services, with one composition stored as "comp".
struct Harness {
    let store = InMemoryCompositionStore()
    let services: FakeServices
    let orchestrator: Orchestrator

    init(_ behaviours: [ServiceID: FakeServices.Behaviour] = [:], configuration: OrchestratorConfiguration = .init()) {
        services = FakeServices(behaviours)
        orchestrator = Orchestrator(store: store, services: services, configuration: configuration)
    }

    /// Stores `source` as the newest version of "comp" and starts it as process `pid`.
    func start(_ source: String, data: JSONValue = [:], action: String = "open", pid: ProcessID = "c1") async throws -> RecordingSink {
        _ = try await store.saveComposition(id: "comp", source: source)
        let sink = RecordingSink()
        try await orchestrator.start(composition: "comp", pid: pid, action: action, data: data, for: alice, sink: sink)
        return sink
    }
}
