import Testing
@testable import SIP

/// NOTIFYs that overtake each other (UDP, concurrent handling at the notifier): the subscriber
/// refuses the older one with 500 (RFC 3261 §12.2.2) so that a stale presence never replaces a
/// fresh one.
@Suite("NOTIFY order")
struct NotifyOrderTests {
    @Test func aDialogTakesOnlyRisingRemoteSequenceNumbers() {
        var dialog = SIPDialog(localURI: SIPURI(user: "alice", host: "example.com"), remoteURI: SIPURI(user: "bob", host: "example.com"))
        let accepted = [5, 5, 9, 7].map { dialog.acceptRemoteSequence($0) }
        #expect(accepted == [true, true, true, false], "rising or equal (a retransmission) is in order; lower is not")
        #expect(dialog.remoteSequence == 9)
    }

    @Test func anOvertakenNotifyIsRefusedAndItsStaleStateIsNotReported() async throws {
        try await NotifyDialog.with { dialog in
            let open = PIDFDocument(entity: "sip:bob@127.0.0.1", basic: .open)
            let closed = PIDFDocument(entity: "sip:bob@127.0.0.1", basic: .closed)
            let statuses = [
                try await dialog.send(2, "active;expires=60", open),
                try await dialog.send(1, "active;expires=60", closed),  // overtaken: arrives last
                try await dialog.send(3, "active;expires=60", closed),
            ]
            #expect(statuses == [200, 500, 200], "the older NOTIFY that arrived last is refused")
            let reported = dialog.reported.documents.map { $0?.basic }
            #expect(reported == [.open, .closed], "only the in-order NOTIFYs are reported: \(reported)")
        }
    }
}
