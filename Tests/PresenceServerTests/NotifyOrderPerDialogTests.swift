import PresenceServer
import Synchronization
import Testing
import WSETesting
@testable import SIP

/// The embedded presence server sends one dialog's NOTIFYs one at a time, each after the previous
/// one's transaction ended: sent each from a task of its own, they could reach the watcher out of order.
@Suite("Presence server NOTIFY order")
struct PresenceNotifyOrderTests {
    @Test func aNotifyLeavesOnlyAfterTheDialogsPreviousOneWasAnswered() async throws {
        let server = PresenceServer(.init(tcpPort: nil, domain: "127.0.0.1", users: PresenceServerTests.users, defaultRule: .allow))
        try await server.start()
        let serverEndpoint = SIPEndpoint(.udp, try #require(await server.udpAddress))
        let aliceURI = SIPURI(user: "alice", host: "127.0.0.1")
        let alice = SIPUserAgent(.init(addressOfRecord: aliceURI, username: "alice", password: PresenceServerTests.users["alice"]!,
                                       server: serverEndpoint)) { _ in }
        try await alice.start()
        try await alice.publish(PIDFDocument(entity: aliceURI.description, basic: .open, note: "1"))

        // bob's watcher answers each NOTIFY at once, but the second only when the test says so.
        let log = Mutex<[String]>([])
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let watcher = SIPTransactionLayer()
        _ = try await watcher.start(.init(tcpPort: nil)) { request, _ in
            let sequence = (try? request.headers.cseq().sequence) ?? 0
            log.withLock { $0.append("NOTIFY \(sequence)") }
            if sequence == 2 { for await _ in released { break } }
            log.withLock { $0.append("200 to \(sequence)") }
            return SIPResponse(to: request, statusCode: 200)
        }
        try await Self.subscribe(watcher, to: aliceURI, at: serverEndpoint)
        try await eventually("the first NOTIFY answered") { log.withLock { $0.count } == 2 }

        // Two changes while the watcher holds NOTIFY 2: NOTIFY 3 must wait for the 200 to NOTIFY 2.
        try await alice.publish(PIDFDocument(entity: aliceURI.description, basic: .closed, note: "2"))
        try await eventually("NOTIFY 2") { log.withLock { $0.count } == 3 }
        try await alice.publish(PIDFDocument(entity: aliceURI.description, basic: .open, note: "3"))
        // One more round trip from the watcher's socket through the server: a NOTIFY 3 sent without
        // waiting for the 200 to NOTIFY 2 would be on its way by now. The server's own order does not
        // depend on this (it cannot send NOTIFY 3 before the 200), only the check of the old way does.
        #expect(try await watcher.send(Self.options(to: serverEndpoint), to: serverEndpoint).statusCode == 200)
        release.yield()
        try await eventually("NOTIFY 3 answered") { log.withLock { $0.count } == 6 }
        #expect(log.withLock { $0 } == ["NOTIFY 1", "200 to 1", "NOTIFY 2", "200 to 2", "NOTIFY 3", "200 to 3"])

        await alice.close()
        await watcher.close()
        await server.stop()
    }

    /// bob's SUBSCRIBE to `entity` from `watcher`'s socket, answering the server's digest challenge.
    static func subscribe(_ watcher: SIPTransactionLayer, to entity: SIPURI, at server: SIPEndpoint) async throws {
        var request = SIPRequest(method: .subscribe, uri: entity)
        request.headers = ["From": "<sip:bob@127.0.0.1>;tag=watcher", "To": "<\(entity)>", "Call-ID": SIPIdentifiers.callID(),
                           "CSeq": "1 SUBSCRIBE", "Event": "presence", "Expires": "600"]
        let challenged = try await watcher.send(request, to: server)
        let challenge = try DigestChallenge(parsing: try #require(challenged.headers[SIPHeaderName.proxyAuthenticate]))
        let credentials = DigestCredentials(answering: challenge, method: .subscribe, uri: entity.description, username: "bob",
                                            password: PresenceServerTests.users["bob"]!, cnonce: SIPIdentifiers.random(16))
        request.headers.set(SIPHeaderName.cseq, "2 SUBSCRIBE")
        request.headers.add(SIPHeaderName.proxyAuthorization, credentials.description)
        #expect(try await watcher.send(request, to: server).statusCode == 200)
    }

    static func options(to server: SIPEndpoint) -> SIPRequest {
        var request = SIPRequest(method: .options, uri: SIPURI(host: "127.0.0.1", port: server.address.port))
        request.headers = ["From": "<sip:bob@127.0.0.1>;tag=o", "To": "<sip:127.0.0.1>", "Call-ID": SIPIdentifiers.callID(),
                           "CSeq": "1 OPTIONS"]
        return request
    }
}
