import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Why a PIDF body was refused.
public struct PIDFError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

extension PIDFDocument {
    /// Parses a PIDF document; throws when it is not well-formed XML, has no `<presence>`
    /// root in the PIDF namespace, no entity, or a `<basic>` other than open/closed.
    public init(parsing data: [UInt8]) throws(PIDFError) {
        let reader = PIDFReader()
        let parser = XMLParser(data: Data(data))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        let wellFormed = parser.parse()
        if let failure = reader.failure { throw PIDFError(reason: failure) }
        // libxml2 may report success on a truncated document: require the root to be closed.
        guard wellFormed, reader.rootClosed else {
            throw PIDFError(reason: "PIDF is not well-formed XML: \(parser.parserError.map { "\($0.localizedDescription)" } ?? "unclosed elements")")
        }
        guard let entity = reader.entity else { throw PIDFError(reason: "PIDF has no <presence entity=…> root") }
        self.init(entity: entity, tuples: reader.tuples, notes: reader.notes)
    }
}

/// The XMLParser delegate that collects tuples; used by one parse, on one thread.
private final class PIDFReader: NSObject, XMLParserDelegate {
    var entity: String?
    var tuples: [PIDFDocument.Tuple] = []
    var notes: [String] = []
    var failure: String?
    var rootClosed = false
    private var path: [String] = []
    private var text = ""
    private var tupleID: String?
    private var tupleBasic: PIDFDocument.Basic?
    private var tupleNote: String?
    private var tupleContact: String?
    private var tupleTimestamp: Date?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if path.isEmpty {
            guard name == "presence", namespaceURI == PIDFDocument.namespace else {
                fail(parser, "PIDF root must be <presence> in \(PIDFDocument.namespace)")
                return
            }
            entity = attributes["entity"]
        }
        if name == "tuple" && path.count == 1 {
            tupleID = attributes["id"] ?? "t\(tuples.count + 1)"
            tupleBasic = nil
            tupleNote = nil
            tupleContact = nil
            tupleTimestamp = nil
        }
        path.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        path.removeLast()
        if path.isEmpty { rootClosed = true }
        let inTuple = path.count >= 2 && path[1] == "tuple"
        switch name {
        case "basic" where inTuple && namespaceURI == PIDFDocument.namespace:
            guard let basic = PIDFDocument.Basic(rawValue: value) else {
                fail(parser, "PIDF <basic> must be open or closed, not '\(value)'")
                return
            }
            tupleBasic = basic
        case "note" where inTuple && path.count == 2:
            tupleNote = value
        case "note" where path.count == 1:
            notes.append(value)
        case "contact" where inTuple:
            tupleContact = value
        case "timestamp" where inTuple && path.count == 2 && namespaceURI == PIDFDocument.namespace:
            tupleTimestamp = PIDFDocument.timestamp(parsing: value)  // one it cannot read is left out, not refused
        case "tuple" where path.count == 1:
            guard let basic = tupleBasic else {
                fail(parser, "PIDF tuple '\(tupleID ?? "")' has no <status><basic>")
                return
            }
            tuples.append(.init(id: tupleID ?? "", basic: basic, note: tupleNote, contact: tupleContact,
                                  timestamp: tupleTimestamp))
        default:
            break
        }
        text = ""
    }

    private func fail(_ parser: XMLParser, _ reason: String) {
        if failure == nil { failure = reason }
        parser.abortParsing()
    }
}
