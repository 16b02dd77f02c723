import Synchronization
import Testing
@testable import SIP

/// What alice's agent reported: each presence document and whether the subscription ended with it.
final class NotifyReports: Sendable {
    let presence = Mutex<[(document: PIDFDocument?, terminated: Bool)]>([])
    var documents: [PIDFDocument?] { presence.withLock { $0.map(\.document) } }
    var terminations: [Bool] { presence.withLock { $0.map(\.terminated) } }
}

/// A notifier that accepted alice's SUBSCRIBE to bob, and sends NOTIFYs in that dialog.
struct NotifyDialog {
    let notifier: SIPTransactionLayer
    let subscribe: SIPRequest
    let notifierTag: String
    let agent: SIPUserAgent
    let reported: NotifyReports

    /// Sends a NOTIFY and expects alice's agent to accept it (200).
    func notify(_ sequence: UInt32, _ state: String, _ document: PIDFDocument?,
                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let status = try await send(sequence, state, document)
        #expect(status == 200, "NOTIFY \(sequence) (\(state)) answered \(status)", sourceLocation: sourceLocation)
    }

    /// Sends a NOTIFY in the dialog; the status alice's agent answered.
    func send(_ sequence: UInt32, _ state: String, _ document: PIDFDocument?) async throws -> Int {
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
        return try await notifier.send(request, to: SIPEndpoint(.udp, await agent.localAddress!)).statusCode
    }

    /// Runs `body` with a notifier that accepted alice's SUBSCRIBE to bob; closes both after.
    static func with(_ body: (NotifyDialog) async throws -> Void) async throws {
        let reported = NotifyReports()
        let subscribeRequest = Mutex<SIPRequest?>(nil)
        // RFC 3261's own timers: nothing here is about timing, and a loaded machine must not turn a slow
        // answer into a transaction timeout (64*T1 = 32 s; a datagram lost on loopback is resent at 0.5 s).
        let timers = SIPTimers()
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
        try await body(NotifyDialog(notifier: notifier, subscribe: subscribe, notifierTag: notifierTag, agent: agent, reported: reported))
        await agent.close()
        await notifier.close()
    }
}
