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

    /// A timestamp crosses a SIP core and the connector, each reading it and writing it again: a written
    /// timestamp read back must be written the same, or `since` drifts a millisecond earlier per hop.
    @Test func aTimestampReadBackIsWrittenTheSame() throws {
        #expect(PIDFDocument.timestampText(try #require(PIDFDocument.timestamp(parsing: "2023-01-18T10:04:11.123Z"))) == "2023-01-18T10:04:11.123Z")
        // Present-day times (where a Double's nanoseconds fall just below the millisecond), one every 0.37 ms.
        var drifted: [String] = []
        for step in 0..<5_000 {
            let written = PIDFDocument.timestampText(Date(timeIntervalSince1970: 1_796_000_000 + Double(step) * 0.000_37))
            let read = try #require(PIDFDocument.timestamp(parsing: written))
            if PIDFDocument.timestampText(read) != written { drifted.append("\(written) → \(PIDFDocument.timestampText(read))") }
        }
        #expect(drifted.isEmpty, "\(drifted.count) of 5000 drifted, e.g. \(drifted.prefix(3))")
    }

    @Test func aTimestampIsWrittenToTheMillisecondInUTC() {
        #expect(PIDFDocument.timestampText(Date(timeIntervalSince1970: 1_796_000_000.0456)) == "2026-11-30T00:53:20.045Z")
        #expect(PIDFDocument.timestampText(Date(timeIntervalSince1970: -0.0005)) == "1969-12-31T23:59:59.999Z")
    }

    @Test func presenceWithoutATimestampHasNoSince() {
        let data = IMSConnector.presenceJSON(entity: "sip:a@b", document: PIDFDocument(entity: "sip:a@b", basic: .open))
        #expect(data["since"] == nil)
        #expect(IMSConnector.presenceJSON(entity: "sip:a@b", document: nil)["since"] == nil)
    }
}
