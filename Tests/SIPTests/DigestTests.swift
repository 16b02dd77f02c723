import Foundation
import Testing
@testable import SIP

@Suite("Digest authentication (RFC 2617 / RFC 8760)")
struct DigestTests {
    @Test func md5ResponseMatchesRFC2617Example() {
        let challenge = DigestChallenge(realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                                        algorithm: .md5, qopOptions: ["auth", "auth-int"], opaque: "5ccc069c403ebaf9f0171e9517f40e41")
        let credentials = DigestCredentials(answering: challenge, method: "GET", uri: "/dir/index.html", username: "Mufasa",
                                            password: "Circle Of Life", nonceCount: 1, cnonce: "0a4f113b")
        #expect(credentials.response == "6629fae49393a05397450978507c4ef1")
        #expect(credentials.nonceCount == "00000001")
        #expect(credentials.isValid(method: "GET", password: "Circle Of Life"))
        #expect(!credentials.isValid(method: "GET", password: "wrong"))
    }

    @Test func sha256ResponseMatchesRFC7616Example() {
        let challenge = DigestChallenge(realm: "http-auth@example.org", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                                        algorithm: .sha256, qopOptions: ["auth"])
        let credentials = DigestCredentials(answering: challenge, method: "GET", uri: "/dir/index.html", username: "Mufasa",
                                            password: "Circle of Life", nonceCount: 1,
                                            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
        #expect(credentials.response == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
    }

    @Test func challengeAndCredentialsRoundTripThroughTheirHeaders() throws {
        let challenge = DigestChallenge(realm: "127.0.0.1", nonce: "abc", algorithm: .sha256, opaque: "o", stale: true)
        #expect(try DigestChallenge(parsing: challenge.description) == challenge)
        let credentials = DigestCredentials(answering: challenge, method: .register, uri: "sip:127.0.0.1", username: "alice",
                                            password: "pw", nonceCount: 3, cnonce: "c")
        let parsed = try DigestCredentials(parsing: credentials.description)
        #expect(parsed == credentials)
        #expect(parsed.isValid(method: .register, password: "pw"))
    }

    @Test func kamailioStyleChallengeParses() throws {
        let challenge = try DigestChallenge(parsing: #"Digest realm="127.0.0.1", nonce="ZmFrZQ==", qop="auth""#)
        #expect(challenge.algorithm == .md5)
        #expect(challenge.qopOptions == ["auth"])
        #expect(throws: SIPParseError.self) { try DigestChallenge(parsing: #"Digest realm="r", nonce="n", algorithm=SHA-512-256"#) }
        #expect(throws: SIPParseError.self) { try DigestChallenge(parsing: #"Basic realm="r""#) }
    }

    @Test func nonceIssuerDetectsForgeryAndAge() {
        let issuer = DigestNonceIssuer(lifetime: .seconds(300))
        let nonce = issuer.makeNonce()
        #expect(issuer.check(nonce) == .valid)
        #expect(issuer.check(nonce + "0") == .forged)
        #expect(issuer.check("1.abc") == .forged)
        #expect(issuer.check(nonce, now: .now.addingTimeInterval(301)) == .stale)
    }

    @Test func noncesIssuedInTheSameSecondDiffer() {
        let issuer = DigestNonceIssuer()
        let now = Date()
        #expect(issuer.makeNonce(now: now) != issuer.makeNonce(now: now))
    }
}

@Suite struct ConstantTimeEqualTests {
    @Test func equalStringsMatch() {
        #expect(constantTimeEqual("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef1"))
    }

    @Test func differentStringsOfTheSameLengthDoNotMatch() {
        #expect(!constantTimeEqual("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef2"))
    }

    @Test func stringsOfDifferentLengthsDoNotMatch() {
        #expect(!constantTimeEqual("6629fae4", "6629fae49393a05397450978507c4ef1"))
        #expect(!constantTimeEqual("6629fae49393a05397450978507c4ef1", ""))
    }
}
