import Synchronization
import Testing
@testable import SIP

/// The final NOTIFY of a subscription (`Subscription-State: terminated`): Kamailio's carries the
/// presentity's current state, the embedded presence server's none. A watcher must see the same
/// either way: a body is the state; no body is no news, so the state last seen is reported again,
/// never "closed" for a presentity that was open.
@Suite("Final NOTIFY")
struct FinalNotifyTests {
    /// What alice's agent reported: each presence document and whether the subscription ended with it.
    final class Reports: Sendable {
        let presence = Mutex<[(document: PIDFDocument?, terminated: Bool)]>([])
        var documents: [PIDFDocument?] { presence.withLock { $0.map(\.document) } }
        var terminations: [Bool] { presence.withLock { $0.map(\.terminated) } }
    }

    /// A notifier that accepted alice's SUBSCRIBE to bob, and sends NOTIFYs in that dialog.
    struct Dialog {
        let notifier: SIPTransactionLayer
        let subscribe: SIPRequest
        let notifierTag: String
        let agent: SIPUserAgent
        let reported: Reports

        /// Sends a NOTIFY and expects alice's agent to accept it (200).
        func notify(_ sequence: UInt32, _ state: String, _ document: PIDFDocument?,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws {
            var request = SIPRequest(method: .notify, uri: SIPURI(user: "alice", host: "127.0.0.1"))
            request.headers = [
                "From": "<sip:bob@127.0.0.1>;tag=\(notifierTag)", "To": try #require(subscribe.headers["From"]),
                "Call-ID": try subscribe.headers.callID(), "CSeq": "\(sequence) NOTIFY", "Event": "presence",
                "Subscription-State": state,
            ]
            if let document {
                request.headers.add(SIPHeaderName.contentType, PIDFDocument.contentType)
                request.body = Array(document.xml.utf8)
            }
            let status = try await notifier.send(request, to: SIPEndpoint(.udp, await agent.localAddress!)).statusCode
            #expect(status == 200, "NOTIFY \(sequence) (\(state)) answered \(status)", sourceLocation: sourceLocation)
        }
    }

    func withDialog(_ body: (Dialog) async throws -> Void) async throws {
        let reported = Reports()
        let subscribeRequest = Mutex<SIPRequest?>(nil)
        let timers = SIPTimers(t1: .milliseconds(50))
        let notifier = SIPTransactionLayer(timers: timers)
        let notifierTag = SIPIdentifiers.tag()
        let transport = try await notifier.start(.init(tcpPort: nil)) { request, _ in
            subscribeRequest.withLock { $0 = request }
            var response = SIPResponse(to: request, statusCode: 200, toTag: notifierTag)
            response.headers.add(SIPHeaderName.expires, "60")
            return response
        }
        let agent = SIPUserAgent(.init(addressOfRecord: SIPURI(user: "alice", host: "127.0.0.1"), username: "alice", password: "pw",
                                       server: SIPEndpoint(.udp, transport.udpAddress!), timers: timers)) { event in
            if case .presence(_, let document, let state) = event {
                reported.presence.withLock { $0.append((document, state.isTerminated)) }
            }
        }
        try await agent.start()
        try await agent.subscribe(to: SIPURI(user: "bob", host: "127.0.0.1"))
        let subscribe = try #require(subscribeRequest.withLock { $0 })
        try await body(Dialog(notifier: notifier, subscribe: subscribe, notifierTag: notifierTag, agent: agent, reported: reported))
        await agent.close()
        await notifier.close()
    }

    let open = PIDFDocument(entity: "sip:bob@127.0.0.1", basic: .open, note: "at the shop")

    @Test func aFinalNotifyWithoutABodyRepeatsTheStateLastSeen() async throws {
        try await withDialog { dialog in
            try await dialog.notify(1, "active;expires=60", open)
            try await dialog.notify(2, "terminated;reason=timeout", nil)
            #expect(dialog.reported.documents == [open, open])
            #expect(dialog.reported.terminations == [false, true])
        }
    }

    @Test func aFinalNotifyWithABodyReportsThatBody() async throws {
        try await withDialog { dialog in
            let closed = PIDFDocument(entity: "sip:bob@127.0.0.1", basic: .closed, note: "gone home")
            try await dialog.notify(1, "active;expires=60", open)
            try await dialog.notify(2, "terminated;reason=timeout", closed)
            #expect(dialog.reported.documents == [open, closed])
        }
    }

    @Test func aNotifyWithoutABodyWhileActiveIsNothingPublished() async throws {
        try await withDialog { dialog in
            try await dialog.notify(1, "active;expires=60", open)
            try await dialog.notify(2, "active;expires=60", nil) // bob's publication was removed
            try await dialog.notify(3, "terminated;reason=timeout", nil)
            #expect(dialog.reported.documents == [open, nil, nil])
        }
    }
}
