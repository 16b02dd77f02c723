import Synchronization
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
        let events = Mutex<[SIPUserAgentEvent]>([])
        let subscribeRequest = Mutex<SIPRequest?>(nil)
        let notifier = SIPTransactionLayer(timers: SIPTimers(t1: .milliseconds(50)))
        let notifierTag = SIPIdentifiers.tag()
        let transport = try await notifier.start(.init(tcpPort: nil)) { request, _ in
            subscribeRequest.withLock { $0 = request }
            var response = SIPResponse(to: request, statusCode: 200, toTag: notifierTag)
            response.headers.add(SIPHeaderName.expires, "60")
            return response
        }
        let ua = SIPUserAgent(.init(addressOfRecord: SIPURI(user: "alice", host: "127.0.0.1"), username: "alice", password: "pw",
                                    server: SIPEndpoint(.udp, transport.udpAddress!),
                                    timers: SIPTimers(t1: .milliseconds(50)))) { event in events.withLock { $0.append(event) } }
        try await ua.start()
        try await ua.subscribe(to: SIPURI(user: "bob", host: "127.0.0.1"))
        let subscribe = try #require(subscribeRequest.withLock { $0 })

        func notify(_ sequence: UInt32, _ basic: PIDFDocument.Basic) async throws -> Int {
            var request = SIPRequest(method: .notify, uri: SIPURI(user: "alice", host: "127.0.0.1"))
            request.headers = [
                "From": "<sip:bob@127.0.0.1>;tag=\(notifierTag)", "To": try #require(subscribe.headers["From"]),
                "Call-ID": try subscribe.headers.callID(), "CSeq": "\(sequence) NOTIFY", "Event": "presence",
                "Subscription-State": "active;expires=60", "Content-Type": PIDFDocument.contentType,
            ]
            request.body = Array(PIDFDocument(entity: "sip:bob@127.0.0.1", basic: basic).xml.utf8)
            return try await notifier.send(request, to: SIPEndpoint(.udp, await ua.localAddress!)).statusCode
        }
        #expect(try await notify(2, .open) == 200)
        #expect(try await notify(1, .closed) == 500, "the older NOTIFY arrived last: refused")
        #expect(try await notify(3, .closed) == 200)
        let reported = events.withLock { $0 }.compactMap { event -> PIDFDocument.Basic? in
            if case .presence(_, let document, _) = event { return document?.basic }
            return nil
        }
        #expect(reported == [.open, .closed], "only the in-order NOTIFYs are reported: \(reported)")
        await ua.close()
        await notifier.close()
    }
}
