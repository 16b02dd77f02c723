import Testing
@testable import PresenceServer
@testable import SIP

/// The presence server's digest checks on single requests: the digest is bound to the
/// request-URI and a nonce count may not be used twice.
@Suite("Presence server authentication")
struct PresenceServerAuthenticationTests {
    let server = PresenceServer(.init(domain: "127.0.0.1", users: ["alice": "alice-secret"], defaultRule: .allow))
    let registrar = SIPURI(host: "127.0.0.1")

    func register(uri: SIPURI, digestURI: String? = nil, nonce: String, nonceCount: Int) -> SIPRequest {
        var request = SIPRequest(method: .register, uri: uri)
        request.headers.add(SIPHeaderName.from, "<sip:alice@127.0.0.1>;tag=a1")
        let credentials = DigestCredentials(answering: DigestChallenge(realm: "127.0.0.1", nonce: nonce), method: .register,
                                            uri: digestURI ?? uri.description, username: "alice", password: "alice-secret",
                                            nonceCount: nonceCount, cnonce: "c0ffee")
        request.headers.add(SIPHeaderName.authorization, credentials.description)
        return request
    }

    @Test func rightCredentialsPass() async {
        let nonce = await server.nonces.makeNonce()
        #expect(await server.authenticate(register(uri: registrar, nonce: nonce, nonceCount: 1)) == nil)
    }

    @Test func aDigestMadeForAnotherRequestURIIsRefused() async {
        let nonce = await server.nonces.makeNonce()
        let request = register(uri: registrar, digestURI: "sip:elsewhere.example", nonce: nonce, nonceCount: 1)
        #expect(await server.authenticate(request)?.statusCode == 400)
    }

    @Test func aRepeatedOrLowerNonceCountIsAReplay() async {
        let nonce = await server.nonces.makeNonce()
        #expect(await server.authenticate(register(uri: registrar, nonce: nonce, nonceCount: 1)) == nil)
        #expect(await server.authenticate(register(uri: registrar, nonce: nonce, nonceCount: 3)) == nil)
        for replayed in [3, 2] {
            let refusal = await server.authenticate(register(uri: registrar, nonce: nonce, nonceCount: replayed))
            #expect(refusal?.statusCode == 401)
            #expect(refusal?.headers[SIPHeaderName.wwwAuthenticate]?.contains("stale=true") == true)
        }
        #expect(await server.authenticate(register(uri: registrar, nonce: nonce, nonceCount: 4)) == nil)
    }

    @Test func credentialsWithoutANonceCountAreChallenged() async {
        var request = SIPRequest(method: .register, uri: registrar)
        request.headers.add(SIPHeaderName.from, "<sip:alice@127.0.0.1>;tag=a1")
        let nonce = await server.nonces.makeNonce()
        let challenge = DigestChallenge(realm: "127.0.0.1", nonce: nonce, qopOptions: [])
        let credentials = DigestCredentials(answering: challenge, method: .register, uri: registrar.description,
                                            username: "alice", password: "alice-secret", nonceCount: 1, cnonce: "c0ffee")
        request.headers.add(SIPHeaderName.authorization, credentials.description)
        #expect(await server.authenticate(request)?.statusCode == 401)
    }
}
