import Foundation
import SIP
import Testing
import WSECore

@testable import IMSConnector

/// `since` in presence events: the time of the presentity's change, carried by the PIDF `<timestamp>`
/// through the SIP core, not the time the watcher heard of it.
@Suite("IMS connector: presence since", .serialized)
struct PresenceSinceTests {
    @Test(arguments: SIPBackendKind.allCases)
    func aWatcherLearnsWhenThePresenceChangedNotWhenItSubscribed(backend: SIPBackendKind) async throws {
        try await ConnectorHarness.with(backend) { harness in
            #expect(try await harness.call("alice", "register").status == 200)
            let before = Date()
            let published = try await harness.call("alice", "publish", ["basic": "open", "note": "since test"])
            let after = Date()
            #expect(published.status == 200, "\(published.body)")

            // bob subscribes only after alice's publish was answered: a `since` from the NOTIFY's arrival would be later.
            let watched = try await harness.call("bob", "subscribe", ["entity": .string(harness.sipURI("alice"))], pid: "since-1")
            #expect(watched.status == 202, "\(watched.body)")
            let first = try await harness.connectorIN.waitFor("alice's presence with its note") {
                $0["pid"] == "since-1" && $0["data"]?["note"] == "since test"
            }
            let text = try #require(first["data"]?["since"]?.stringValue, "no since in \(first)")
            let since = try #require(PIDFDocument.timestamp(parsing: text), "since \(text) is not ISO-8601")
            // The text keeps milliseconds: allow the truncation below `before`.
            #expect(since >= before.addingTimeInterval(-0.001) && since <= after, "since \(text) outside the publish, \(before)…\(after)")
        }
    }

    @Test func presenceWithoutATimestampHasNoSince() {
        let data = IMSConnector.presenceJSON(entity: "sip:a@b", document: PIDFDocument(entity: "sip:a@b", basic: .open))
        #expect(data["since"] == nil)
        #expect(IMSConnector.presenceJSON(entity: "sip:a@b", document: nil)["since"] == nil)
    }
}
