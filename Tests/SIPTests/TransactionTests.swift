import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing
import WSETesting
@testable import SIP

/// RFC 3261 §17 behaviour over real sockets, on a virtual clock (`VirtualTime`): UDP retransmission
/// (Timer E) against a UAS that drops the first requests or never answers, Timer F against the same
/// and against a sipp UAS that never answers, and a server transaction that absorbs retransmitted
/// requests until Timer J. Each timer is checked at its instant: not 1 ms before, and at it.
///
/// The dropping UAS is a small NIO responder here, not sipp: sipp recognises the client's
/// retransmission as a duplicate of the request it dropped and never hands it to the scenario.
@Suite("Transactions and transports", .serialized)
struct TransactionTests {
    func agent(port: Int, timers: SIPTimers = SIPTimers()) throws -> SIPUserAgent {
        SIPUserAgent(.init(addressOfRecord: SIPURI(user: "alice", host: "127.0.0.1"), username: "alice", password: "pw",
                           server: try SIPEndpoint(.udp, host: "127.0.0.1", port: port), registerExpires: 60,
                           timers: timers)) { _ in }
    }

    /// Timer E's instants for a request nobody answers: T1, then doubling, then every T2 until Timer F (32 s).
    static let retransmissionInstants: [Duration] = [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]
        .map { .milliseconds($0) }

    @Test func aLostRequestIsRetransmittedAtT1ThenAfter2T1() async throws {
        try await VirtualTime.run { time in
            let lossy = try await DroppingUAS.start(drop: 2)
            let ua = try agent(port: lossy.port, timers: time.timers)
            try await ua.start()
            async let registered = ua.register()
            await lossy.waitForRequests(1)
            for (count, instant) in Self.retransmissionInstants.prefix(2).enumerated() {
                await time.advance(to: instant - .milliseconds(1))
                #expect(await ua.retransmissions == count, "no retransmission before \(instant)")
                await time.advance(to: instant)
                #expect(await ua.retransmissions == count + 1, "retransmission \(count + 1) at \(instant)")
            }
            let retransmitted = await ua.retransmissions
            if retransmitted != 2 { await ua.close() }  // no third copy to answer: end the REGISTER rather than hang
            #expect(try await registered == 60, "the third copy was answered")
            #expect(lossy.received == 3)
            await ua.close()
            await lossy.stop()
        }
    }

    @Test func retransmissionsDoubleUpToT2UntilTimerFEndsTheTransactionAt64T1() async throws {
        try await VirtualTime.run { time in
            let silent = try await DroppingUAS.start(drop: .max)
            let ua = try agent(port: silent.port, timers: time.timers)
            try await ua.start()
            async let failure = Self.failure(of: ua)
            await silent.waitForRequests(1)
            for (count, instant) in Self.retransmissionInstants.enumerated() {
                await time.advance(to: instant - .milliseconds(1))
                #expect(await ua.retransmissions == count, "no retransmission before \(instant)")
                await time.advance(to: instant)
                #expect(await ua.retransmissions == count + 1, "retransmission \(count + 1) at \(instant)")
            }
            let retransmitted = await Self.runToTimerF(ua, time)
            #expect(await failure == .timeout, "Timer F is 64·T1")
            #expect(retransmitted == 10)
            await silent.waitForRequests(1 + retransmitted)
            #expect(silent.received == 11, "every copy was sent")
            await silent.stop()
        }
    }

    @Test func silentSippUASEndsInTimeoutAtTimerF() async throws {
        try await VirtualTime.run { time in
            let sipp = try SippProcess.start(scenario: "uas_silent.xml")
            let ua = try agent(port: sipp.port, timers: time.timers)
            try await ua.start()
            async let failure = Self.failure(of: ua)
            // Timer F starts with the transaction: wait for it to exist (an actor hop, not a timer).
            try await eventually("the REGISTER transaction") { await ua.pendingTransactions == 1 }
            let retransmitted = await Self.runToTimerF(ua, time)
            #expect(await failure == .timeout, "Timer F is 64·T1")
            #expect(retransmitted == Self.retransmissionInstants.count)
            await sipp.stop()
        }
    }

    /// Moves the clock to Timer F (64·T1 = 32 s), checking that the transaction is still open 1 ms before,
    /// then closes the agent (a transaction still open would end as .closed, not hang the test).
    /// - Returns: the retransmissions sent by then.
    static func runToTimerF(_ ua: SIPUserAgent, _ time: VirtualTime, sourceLocation: SourceLocation = #_sourceLocation) async -> Int {
        await time.advance(to: .seconds(32) - .milliseconds(1))
        #expect(await ua.pendingTransactions == 1, "no timeout before Timer F", sourceLocation: sourceLocation)
        await time.advance(to: .seconds(32))
        let retransmitted = await ua.retransmissions
        await ua.close()
        return retransmitted
    }

    /// How `register()` failed (nil if it did not).
    static func failure(of ua: SIPUserAgent) async -> SIPUserAgentError? {
        do {
            _ = try await ua.register()
            return nil
        } catch {
            return error
        }
    }

    @Test func serverTransactionAnswersRetransmissionsWithoutAskingTwiceUntilTimerJ() async throws {
        try await VirtualTime.run { time in
            let calls = Mutex(0)
            let server = SIPTransactionLayer(timers: time.timers)
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
            var responses = received.stream.makeAsyncIterator()
            /// Sends the request (again) and returns the status of the response it gets.
            func exchange() async throws -> Int? {
                try await client.send(request, to: destination)
                guard case .response(let response)? = await responses.next() else { return nil }
                return response.statusCode
            }
            #expect(try await exchange() == 200)
            #expect(try await exchange() == 200)
            await time.advance(to: .seconds(32) - .milliseconds(1))
            #expect(try await exchange() == 200)
            #expect(calls.withLock { $0 } == 1, "copies before Timer J get the stored response")
            #expect(await server.retransmissions == 2)
            await time.advance(to: .seconds(32))
            #expect(try await exchange() == 200)
            #expect(calls.withLock { $0 } == 2, "after Timer J (64·T1) the transaction is forgotten")
            await client.close()
            await server.close()
        }
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
        let peer = SIPTransactionLayer()
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
