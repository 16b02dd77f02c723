import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import SIP

/// RFC 3261 §17 behaviour over real sockets: UDP retransmission (Timer E) against a UAS
/// that drops the first requests, Timer F against a sipp UAS that never answers, and a
/// server transaction that absorbs retransmitted requests.
///
/// The dropping UAS is a small NIO responder here, not sipp: sipp recognises the client's
/// retransmission as a duplicate of the request it dropped and never hands it to the scenario.
@Suite("Transactions and transports", .serialized)
struct TransactionTests {
    func agent(port: Int, kind: SIPTransportKind = .udp, t1: Duration = .milliseconds(50)) throws -> SIPUserAgent {
        SIPUserAgent(.init(addressOfRecord: SIPURI(user: "alice", host: "127.0.0.1"), username: "alice", password: "pw",
                           server: try SIPEndpoint(kind, host: "127.0.0.1", port: port), registerExpires: 60,
                           timers: SIPTimers(t1: t1, t2: .milliseconds(400), t4: .milliseconds(500)))) { _ in }
    }

    @Test func requestIsRetransmittedUntilTheUASAnswers() async throws {
        let lossy = try await DroppingUAS.start(drop: 2)
        let ua = try agent(port: lossy.port)
        try await ua.start()
        let expires = try await ua.register()
        #expect(expires == 60)
        // Two copies were dropped, so at least two retransmissions; on a loaded machine Timer E may
        // fire once more before the answer to the third copy arrives. Every copy sent was received.
        let retransmissions = await ua.retransmissions
        #expect(retransmissions >= 2)
        #expect(lossy.received == 1 + retransmissions)
        await ua.close()
        await lossy.stop()
    }

    @Test func silentUASEndsInTimeoutAfterTimerF() async throws {
        let sipp = try SippProcess.start(scenario: "uas_silent.xml")
        // T1 = 50 ms: Timer F (3.2 s) leaves room for about nine retransmissions, so at least three
        // happen even when a loaded machine runs the timers late.
        let ua = try agent(port: sipp.port, t1: .milliseconds(50))
        try await ua.start()
        let started = ContinuousClock.now
        await #expect(throws: SIPUserAgentError.timeout) { try await ua.register() }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(64 * 50), "Timer F is 64·T1")
        #expect(await ua.retransmissions >= 3)
        await ua.close()
        await sipp.stop()
    }

    @Test func serverTransactionAnswersRetransmissionsWithoutAskingTwice() async throws {
        let calls = Mutex(0)
        let server = SIPTransactionLayer()
        let transport = try await server.start(.init(tcpPort: nil)) { request, _ in
            calls.withLock { $0 += 1 }
            return SIPResponse(to: request, statusCode: 200)
        }
        let received = AsyncStream<SIPMessage>.makeStream()
        let client = try await SIPTransport.start(.init(tcpPort: nil)) { message, _ in received.continuation.yield(message) }
        let request = try SIPMessageParser().parse("""
            OPTIONS sip:127.0.0.1 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.1:\(client.udpAddress!.port!);branch=z9hG4bKretrans1\r
            From: <sip:a@127.0.0.1>;tag=1\r
            To: <sip:127.0.0.1>\r
            Call-ID: retrans-1\r
            CSeq: 1 OPTIONS\r
            Content-Length: 0\r
            \r

            """)
        let destination = SIPEndpoint(.udp, transport.udpAddress!)
        try await client.send(request, to: destination)
        var iterator = received.stream.makeAsyncIterator()
        guard case .response(let first)? = await iterator.next() else { Issue.record("no response"); return }
        try await client.send(request, to: destination)
        guard case .response(let second)? = await iterator.next() else { Issue.record("no second response"); return }
        #expect(first.statusCode == 200 && second.statusCode == 200)
        #expect(calls.withLock { $0 } == 1)
        #expect(await server.retransmissions == 1)
        await client.close()
        await server.close()
    }

    @Test func tcpStreamWithWrongContentLengthIsClosedWithAReason() async throws {
        let errors = AsyncStream<SIPParseError>.makeStream()
        let transport = try await SIPTransport.start(.init(udpPort: nil), onMessage: { _, _ in },
                                                     onError: { error, _ in errors.continuation.yield(error) })
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(to: transport.tcpAddress!).get()
        // Content-Length 2 cuts "hello" short: the rest is not a SIP message, the stream cannot be resynchronised.
        let bytes = "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
            + "Call-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Length: 2\r\n\r\nhello"
        try await channel.writeAndFlush(ByteBuffer(string: bytes + "\r\n\r\n")).get()
        var iterator = errors.stream.makeAsyncIterator()
        let error = await iterator.next()
        #expect(error?.reason == "Content-Length is required on stream transports")
        try await channel.closeFuture.get()
        await transport.close()
    }

    @Test func userAgentAnswersUnknownMethodsWith501() async throws {
        let ua = try agent(port: 9)
        try await ua.start()
        let peer = SIPTransactionLayer(timers: SIPTimers(t1: .milliseconds(50)))
        _ = try await peer.start(.init(tcpPort: nil)) { request, _ in SIPResponse(to: request, statusCode: 500) }
        var request = SIPRequest(method: "DANCE", uri: SIPURI(user: "alice", host: "127.0.0.1"))
        request.headers = ["From": "<sip:bob@127.0.0.1>;tag=9", "To": "<sip:alice@127.0.0.1>", "Call-ID": "dance-1", "CSeq": "1 DANCE"]
        let response = try await peer.send(request, to: SIPEndpoint(.udp, await ua.localAddress!))
        #expect(response.statusCode == 501)
        #expect(response.headers[SIPHeaderName.allow]?.contains("MESSAGE") == true)
        await peer.close()
        await ua.close()
    }
}
