import Foundation
import Testing
@testable import SIP

@Suite("PIDF presence documents (RFC 3863)")
struct PIDFTests {
    @Test func generatedDocumentParsesBack() throws {
        let document = PIDFDocument(entity: "sip:alice@example.com", basic: .open, note: "At lunch <back at 2> & more")
        let parsed = try PIDFDocument(parsing: Array(document.xml.utf8))
        #expect(parsed == document)
        #expect(parsed.basic == .open)
        #expect(parsed.note == "At lunch <back at 2> & more")
    }

    @Test func aTupleTimestampIsWrittenAndReadBackToTheMillisecond() throws {
        let changed = Date(timeIntervalSince1970: 1_796_470_821.125)
        let document = PIDFDocument(entity: "sip:alice@example.com", basic: .closed, note: "away", timestamp: changed)
        #expect(document.xml.contains("<note>away</note><timestamp>2026-12-05T11:40:21.125Z</timestamp></tuple>"))
        let parsed = try PIDFDocument(parsing: Array(document.xml.utf8))
        #expect(parsed == document)
        #expect(parsed.timestamp == changed)
    }

    @Test func theDocumentTimestampIsItsNewestTupleAndAnUnreadableOneIsLeftOut() throws {
        let xml = #"<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">"#
            + #"<tuple id="1"><status><basic>open</basic></status><timestamp>2026-12-05T12:00:00+01:00</timestamp></tuple>"#
            + #"<tuple id="2"><status><basic>closed</basic></status><timestamp>2026-12-05T11:30:00.5Z</timestamp></tuple>"#
            + #"<tuple id="3"><status><basic>closed</basic></status><timestamp>yesterday</timestamp></tuple></presence>"#
        let document = try PIDFDocument(parsing: Array(xml.utf8))
        #expect(document.tuples.map(\.timestamp) == [Date(timeIntervalSince1970: 1_796_468_400), Date(timeIntervalSince1970: 1_796_470_200.5), nil])
        #expect(document.timestamp == Date(timeIntervalSince1970: 1_796_470_200.5))
        #expect(PIDFDocument(entity: "sip:a@b", basic: .open).timestamp == nil)
    }

    @Test func notesLoseControlCharactersOtherThanTabAndNewlineWhenBuilt() {
        let document = PIDFDocument(entity: "sip:alice@example.com", tuples: [.init(id: "t1", basic: .open, note: "\u{1B}[31mred\u{07}\tcol\nline")],
                                    notes: ["bell\u{07}\u{00}end"])
        #expect(document.xml.contains("<note>[31mred\tcol\nline</note>"))
        #expect(document.xml.contains("<note>bellend</note>"))
        #expect(!document.xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" })
    }

    @Test(arguments: ["a\u{0B}b\u{0C}c\u{1F}d", "a&#x1B;b&#x7;c&#0;d"])
    func noControlCharacterOtherThanTabAndNewlineComesThroughAParsedNote(note: String) throws {
        let xml = #"<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"><tuple id="t"><status><basic>open</basic></status>"#
            + "<note>\(note)\tx</note></tuple><note>\(note)</note></presence>"
        // The XML parser refuses most of them; whatever it lets through is stripped.
        guard let document = try? PIDFDocument(parsing: Array(xml.utf8)) else { return }
        #expect(document.tuples[0].note == "abcd\tx")
        #expect(document.notes == ["abcd"])
    }

    @Test func rfc3863StyleDocumentWithPrefixesAndNotes() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <impp:presence xmlns:impp="urn:ietf:params:xml:ns:pidf" entity="pres:someone@example.com">
              <impp:tuple id="sg89ae">
                <impp:status><impp:basic>closed</impp:basic></impp:status>
                <impp:contact priority="0.8">tel:+09012345678</impp:contact>
              </impp:tuple>
              <impp:tuple id="two"><impp:status><impp:basic>open</impp:basic></impp:status><impp:note>online</impp:note></impp:tuple>
              <impp:note xml:lang="en">Don't Disturb Please!</impp:note>
            </impp:presence>
            """
        let document = try PIDFDocument(parsing: Array(xml.utf8))
        #expect(document.entity == "pres:someone@example.com")
        #expect(document.tuples.map(\.basic) == [.closed, .open])
        #expect(document.tuples[0].contact == "tel:+09012345678")
        #expect(document.basic == .open)
        #expect(document.note == "online")
        #expect(document.notes == ["Don't Disturb Please!"])
    }

    @Test(arguments: [
        ("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\"><tuple id=\"1\">", "well-formed"),
        ("<foo xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\"/>", "root must be <presence>"),
        ("<presence xmlns=\"urn:other\" entity=\"sip:a@b\"/>", "root must be <presence>"),
        ("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"/>", "no <presence entity"),
        ("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\"><tuple id=\"1\"><status><basic>maybe</basic></status></tuple></presence>", "open or closed"),
        ("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:a@b\"><tuple id=\"1\"><status/></tuple></presence>", "has no <status><basic>"),
    ])
    func invalidPIDFIsRejectedWithAReason(xml: String, reason: String) {
        do {
            _ = try PIDFDocument(parsing: Array(xml.utf8))
            Issue.record("accepted: \(xml)")
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }
}
