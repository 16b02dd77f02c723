import Testing
@testable import SIP

/// The final NOTIFY of a subscription (`Subscription-State: terminated`): Kamailio's carries the
/// presentity's current state, the embedded presence server's none. A watcher must see the same
/// either way: a body is the state; no body is no news, so the state last seen is reported again,
/// never "closed" for a presentity that was open.
@Suite("Final NOTIFY")
struct FinalNotifyTests {
    let open = PIDFDocument(entity: "sip:bob@127.0.0.1", basic: .open, note: "at the shop")

    @Test func aFinalNotifyWithoutABodyRepeatsTheStateLastSeen() async throws {
        try await NotifyDialog.with { dialog in
            try await dialog.notify(1, "active;expires=60", open)
            try await dialog.notify(2, "terminated;reason=timeout", nil)
            #expect(dialog.reported.documents == [open, open])
            #expect(dialog.reported.terminations == [false, true])
        }
    }

    @Test func aFinalNotifyWithABodyReportsThatBody() async throws {
        try await NotifyDialog.with { dialog in
            let closed = PIDFDocument(entity: "sip:bob@127.0.0.1", basic: .closed, note: "gone home")
            try await dialog.notify(1, "active;expires=60", open)
            try await dialog.notify(2, "terminated;reason=timeout", closed)
            #expect(dialog.reported.documents == [open, closed])
        }
    }

    @Test func aNotifyWithoutABodyWhileActiveIsNothingPublished() async throws {
        try await NotifyDialog.with { dialog in
            try await dialog.notify(1, "active;expires=60", open)
            try await dialog.notify(2, "active;expires=60", nil) // bob's publication was removed
            try await dialog.notify(3, "terminated;reason=timeout", nil)
            #expect(dialog.reported.documents == [open, nil, nil])
        }
    }
}
