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

    /// What the fake location service answers to `get`, for any address.
    static let fixNow: JSONValue = ["latitude": 48.5, "longitude": 2.25, "accuracy": 20, "timestamp": "t0"]
    static let location = FakeServices.Behaviour.actions(["get": .answer(fixNow), "subscribe": .subscription(ack: [:])])

    @Test("eab merges the contacts answer with a first location, then location and presence events as they arrive; cancel stops every subscription")
    func enhancedAddressBook() async throws {
        let harness = Harness(["contacts": .answer(Self.contacts), "location": Self.location, "sip": .subscription(ack: [:])])
        let sink = try await harness.start(Self.source, data: ["interval": 5])
        try await eventually("both cards and their first locations are published") { await sink.emitted.count == 4 }
        #expect(Set(await sink.emitted) == [
            ["id": "1", "name": "Bob", "sip": "sip:bob@wse.test"], ["id": "2", "name": "Carol", "sip": "sip:carol@wse.test"],
            ["id": "1", "name": "Bob", "location": Self.fixNow], ["id": "2", "name": "Carol", "location": Self.fixNow],
        ])
        try await eventually("four subscriptions are open") {
            let locations = await harness.services.invocations.filter { $0.service == "location" && $0.action == "subscribe" }.count
            return await (locations, harness.services.pids(of: "sip").count) == (2, 2)
        }
        let invocations = await harness.services.invocations
        let locationCalls = invocations.filter { $0.service == "location" }
        #expect(Set(locationCalls.filter { $0.action == "get" }.map(\.data)) == [["address": "tel:+331"], ["address": "tel:+332"]])
        #expect(Set(locationCalls.filter { $0.action == "subscribe" }.map(\.data)) == [
            ["address": "tel:+331", "interval": 5], ["address": "tel:+332", "interval": 5],
        ])
        #expect(Set(invocations.filter { $0.service == "sip" }.map(\.data)) == [["entity": "sip:bob@wse.test"], ["entity": "sip:carol@wse.test"]])
        let location = Dictionary(uniqueKeysWithValues: locationCalls.filter { $0.action == "subscribe" }.map { ($0.data["address"]!.stringValue!, $0.pid) })
        let sip = Dictionary(uniqueKeysWithValues: invocations.filter { $0.service == "sip" }.map { ($0.data["entity"]!.stringValue!, $0.pid) })

        await harness.services.push(location["tel:+332"]!, ["latitude": 45.5, "longitude": 4.75, "accuracy": 10, "timestamp": "t1"])
        try await eventually("Carol's location") { await sink.emitted.count == 5 }
        await harness.services.push(sip["sip:bob@wse.test"]!, ["kind": "message", "from": "sip:bob@wse.test", "text": "hi"])
        await harness.services.push(sip["sip:bob@wse.test"]!, ["kind": "presence", "entity": "sip:bob@wse.test", "basic": "open", "note": "at work",
                                                               "since": "2026-12-05T11:40:21.125Z"])
        try await eventually("Bob's presence") { await sink.emitted.count == 6 }
        await harness.services.push(sip["sip:carol@wse.test"]!, ["kind": "presence", "entity": "sip:carol@wse.test", "basic": "closed", "note": nil])
        try await eventually("Carol's presence") { await sink.emitted.count == 7 }
        #expect(Array(await sink.emitted.dropFirst(4)) == [
            ["id": "2", "name": "Carol", "location": ["latitude": 45.5, "longitude": 4.75, "accuracy": 10, "timestamp": "t1"]],
            ["id": "1", "name": "Bob", "presence": ["basic": "open", "note": "at work", "since": "2026-12-05T11:40:21.125Z"]],
            ["id": "2", "name": "Carol", "presence": ["basic": "closed", "note": nil]],
        ])

        await harness.orchestrator.cancel(pid: "c1")
        #expect(await sink.endReason == .cancelled)
        #expect(Set(await harness.services.cancelled) == Set(location.values).union(sip.values))
        #expect(await sink.failures.isEmpty)
    }

    @Test("without an interval in the request, locations are asked every 10 seconds")
    func defaultInterval() async throws {
        let harness = Harness(["contacts": .answer(["contacts": [["id": "2", "name": "Carol", "sip": "sip:carol@wse.test", "address": "tel:+332"]]]),
                               "location": Self.location, "sip": .subscription(ack: [:])])
        let sink = try await harness.start(Self.source)
        let subscribe = { await harness.services.invocations.first { $0.service == "location" && $0.action == "subscribe" } }
        try await eventually("the location subscription starts") { await subscribe() != nil }
        #expect(await subscribe()?.data == ["address": "tel:+332", "interval": 10])
        await harness.orchestrator.cancel(pid: "c1")
        #expect(await sink.endReason == .cancelled)
        #expect(await sink.failures.isEmpty)
    }
}
