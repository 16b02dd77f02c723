import Foundation
import Testing
import WSETesting
import WSECore

@testable import Orchestrator

/// The shipped example `Sources/Demo/DemoResources/compositions/eab.orc`, run against fake contacts, location and sip services.
@Suite("Example composition: the Enhanced Address Book")
struct ExampleCompositionTests {
    static let source: String = {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let file = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Demo/DemoResources/compositions/eab.orc")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { fatalError("cannot read \(file.path)") }
        return text
    }()

    static let contacts: JSONValue = ["contacts": [
        ["id": "1", "name": "Bob", "sip": "sip:bob@wse.test", "address": "tel:+331"],
        ["id": "2", "name": "Carol", "sip": "sip:carol@wse.test", "address": "tel:+332"],
    ]]

    @Test("eab merges the contacts answer with location and presence events as they arrive; cancel stops every subscription")
    func enhancedAddressBook() async throws {
        let harness = Harness(["contacts": .answer(Self.contacts), "location": .subscription(ack: [:]), "sip": .subscription(ack: [:])])
        let sink = try await harness.start(Self.source, data: ["interval": 5])
        try await eventually("both cards are published") { await sink.emitted.count == 2 }
        #expect(Set(await sink.emitted) == [["id": "1", "name": "Bob"], ["id": "2", "name": "Carol"]])
        try await eventually("four subscriptions are open") {
            let locations = await harness.services.pids(of: "location").count
            return await (locations, harness.services.pids(of: "sip").count) == (2, 2)
        }
        let invocations = await harness.services.invocations
        #expect(Set(invocations.filter { $0.service == "location" }.map(\.data)) == [
            ["address": "tel:+331", "interval": 5], ["address": "tel:+332", "interval": 5],
        ])
        #expect(Set(invocations.filter { $0.service == "sip" }.map(\.data)) == [["entity": "sip:bob@wse.test"], ["entity": "sip:carol@wse.test"]])
        let location = Dictionary(uniqueKeysWithValues: invocations.filter { $0.service == "location" }.map { ($0.data["address"]!.stringValue!, $0.pid) })
        let sip = Dictionary(uniqueKeysWithValues: invocations.filter { $0.service == "sip" }.map { ($0.data["entity"]!.stringValue!, $0.pid) })

        await harness.services.push(location["tel:+332"]!, ["latitude": 45.5, "longitude": 4.75, "accuracy": 10, "timestamp": "t1"])
        try await eventually("Carol's location") { await sink.emitted.count == 3 }
        await harness.services.push(sip["sip:bob@wse.test"]!, ["kind": "message", "from": "sip:bob@wse.test", "text": "hi"])
        await harness.services.push(sip["sip:bob@wse.test"]!, ["kind": "presence", "entity": "sip:bob@wse.test", "basic": "open", "note": "at work"])
        try await eventually("Bob's presence") { await sink.emitted.count == 4 }
        #expect(Array(await sink.emitted.dropFirst(2)) == [
            ["id": "2", "name": "Carol", "location": ["latitude": 45.5, "longitude": 4.75, "accuracy": 10, "timestamp": "t1"]],
            ["id": "1", "name": "Bob", "presence": ["basic": "open", "note": "at work"]],
        ])

        await harness.orchestrator.cancel(pid: "c1")
        #expect(await sink.endReason == .cancelled)
        #expect(Set(await harness.services.cancelled) == Set(location.values).union(sip.values))
        #expect(await sink.failures.isEmpty)
    }

    @Test("without an interval in the request, locations are asked every 10 seconds")
    func defaultInterval() async throws {
        let harness = Harness(["contacts": .answer(["contacts": [["id": "2", "name": "Carol", "sip": "sip:carol@wse.test", "address": "tel:+332"]]]),
                               "location": .subscription(ack: [:]), "sip": .subscription(ack: [:])])
        let sink = try await harness.start(Self.source)
        try await eventually("the location subscription starts") { await !harness.services.pids(of: "location").isEmpty }
        #expect(await harness.services.invocations.first { $0.service == "location" }?.data == ["address": "tel:+332", "interval": 10])
        await harness.orchestrator.cancel(pid: "c1")
        #expect(await sink.endReason == .cancelled)
        #expect(await sink.failures.isEmpty)
    }
}
