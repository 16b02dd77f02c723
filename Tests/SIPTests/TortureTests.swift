import Testing
@testable import SIP

/// RFC 4475: every valid torture message parses to the right structure; every invalid one
/// is rejected with its specific reason.
@Suite("RFC 4475 torture messages")
struct TortureTests {
    let parser = SIPMessageParser()

    func request(_ bytes: [UInt8]) throws -> SIPRequest {
        guard case .request(let request) = try parser.parse(bytes) else {
            Issue.record("expected a request")
            throw SIPParseError("not a request")
        }
        return request
    }

    @Test func wsinvShortTortuousInvite() throws {
        let r = try request(TortureVectors.wsinv)
        #expect(r.method == .invite)
        #expect(r.uri.user == "vivekg")
        #expect(r.uri.parameters.contains("unknownparam"))
        let to = try r.headers.to()
        #expect(to.tag == "1918181833n")
        let from = try r.headers.from()
        #expect(from.displayName == #"J Rosenberg \""#)
        #expect(from.tag == "98asjd8")
        #expect(r.headers[SIPHeaderName.maxForwards] == "0068")
        #expect(try r.headers.cseq() == SIPCSeq(9, .invite))
        let vias = try r.headers.via()
        #expect(vias.map(\.host) == ["192.0.2.2", "spindle.example.com", "192.168.255.111"])
        #expect(vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(vias.map(\.branch) == ["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"])
        #expect(r.headers["Subject"] == "")
        #expect(r.headers["newfangledheader"] == "newfangled value continued newfangled value")
        #expect(r.headers["UnknownHeaderWithUnusualValue"] == ";;,,;;,;")
        let contact = try #require(try r.headers.contacts().first)
        #expect(contact.displayName == #"Quoted string """#)
        #expect(contact.parameters["newparam"] == "newvalue")
        #expect(contact.parameters.contains("secondparam"))
        #expect(contact.parameters["q"] == "0.33")
        #expect(r.body.count == 150)
    }

    @Test func intmethWideRangeOfCharacters() throws {
        let r = try request(TortureVectors.intmeth)
        #expect(r.method.rawValue == "!interesting-Method0123456789_*+`.%indeed'~")
        #expect(r.uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(r.uri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        #expect(r.uri.host == "example.com")
        #expect(try r.headers.topVia().branch == "z9hG4bK-.!%66*_+`'~")
        let to = try r.headers.to()
        #expect(to.displayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        let from = try r.headers.from()
        #expect(from.displayName == "token1~` token2'+_ token3*%!.-")
        #expect(from.tag == "_token~1'+`*%!-.")
        #expect(from.parameters["fromParam''~+*_!.-%"] == "работающий")
        #expect(try r.headers.callID() == #"intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{"#)
        #expect(r.headers["extensionHeader-!.%*+_`'~"] == "\u{FEFF}大停電")
    }

    @Test func esc01EscapesAreKeptAndResolvedForComparison() throws {
        let r = try request(TortureVectors.esc01)
        #expect(r.uri.user == "sips%3Auser%40example.com")
        #expect(r.uri.host == "example.net")
        #expect(try r.headers.to().uri.addressOfRecord == "sip:user@example.com")
        #expect(try r.headers.from().uri.addressOfRecord == "sip:I have spaces@example.net")
        let contact = try #require(try r.headers.contacts().first)
        #expect(contact.uri.parameters["n%61me"] == "v%61lue%25%34%31")
        #expect(r.headers[SIPHeaderName.contentType] == "application/sdp")
        #expect(try r.headers.callID() == "esc01.239409asdfakjkn23onasd0-3234")
    }

    @Test func escnullEscapedNullsInURIs() throws {
        let r = try request(TortureVectors.escnull)
        #expect(try r.headers.contacts().map { $0.uri.user } == ["%00", "%00%00"])
        #expect(try r.headers.to().uri.addressOfRecord == "sip:null-\u{00}-null@example.com")
    }

    @Test func esc02PercentThatIsNotAnEscape() throws {
        let r = try request(TortureVectors.esc02)
        #expect(r.method.rawValue == "RE%47IST%45R")
        #expect(try r.headers.to().displayName == "%Z%45")
        #expect(try r.headers.contacts().map { $0.uri.host } == ["host1.example.com", "host3.example.com"])
        #expect(r.headers["C%6Fntact"] == "<sip:alias2@host2.example.com>")
    }

    @Test func lwsdispNoSpaceBeforeAngle() throws {
        let from = try request(TortureVectors.lwsdisp).headers.from()
        #expect(from.displayName == "caller")
        #expect(from.uri.user == "caller")
    }

    @Test func longreqLongValues() throws {
        let r = try request(TortureVectors.longreq)
        #expect(try r.headers.via().count == 34)
        #expect(try r.headers.to().uri.port == 6000)
        #expect(try r.headers.from().tag?.hasSuffix("424") == true)
        #expect(r.body.count == 150)
    }

    @Test func dblreqTrailingOctetsAreIgnored() throws {
        let r = try request(TortureVectors.dblreq)
        #expect(r.method == .register)
        #expect(r.body.isEmpty)
        #expect(try r.headers.contacts().first?.uri.host == "host.example.com")
    }

    @Test func semiuriParametersInUserPart() throws {
        let r = try request(TortureVectors.semiuri)
        #expect(r.uri.user == "user;par=u%40example.net")
        #expect(r.uri.host == "example.com")
        #expect(r.headers.values("Accept").count == 6)
    }

    @Test func transportsUnknownTransportsAreKept() throws {
        let vias = try request(TortureVectors.transports).headers.via()
        #expect(vias.map(\.transport) == ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"])
    }

    @Test func unreasonUTF8ReasonPhrase() throws {
        guard case .response(let r) = try parser.parse(TortureVectors.unreason) else { Issue.record("not a response"); return }
        #expect(r.statusCode == 200)
        #expect(r.reason == "= 2**3 * 5**2 но сто девяносто девять - простое")
    }

    @Test func noreasonEmptyReasonPhrase() throws {
        guard case .response(let r) = try parser.parse(TortureVectors.noreason) else { Issue.record("not a response"); return }
        #expect(r.statusCode == 100)
        #expect(r.reason == "")
    }

    @Test(arguments: TortureVectors.invalid.map(\.name))
    func invalidMessageIsRejectedWithItsReason(name: String) throws {
        let vector = try #require(TortureVectors.invalid.first { $0.name == name })
        do {
            let message = try parser.parse(vector.bytes)
            Issue.record("\(name) was accepted: \(message.structureDescription)")
        } catch {
            #expect(error.reason.contains(vector.reason), "\(name): \(error.reason)")
        }
    }
}
