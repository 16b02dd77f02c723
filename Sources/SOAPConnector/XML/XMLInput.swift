import Foundation
import FoundationXML

/// Turns bytes from outside (a WSDL, an upstream's answer) into an `XMLElement` tree, or
/// says why it cannot. FoundationXML's `XMLDocument` neither reports every malformed
/// document nor survives an empty one, so the bytes are checked with `XMLParser` first.
enum XMLInput {
    /// Why the bytes are not a usable XML document, with the place when the parser knows it.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var line: Int?
        var column: Int?
        var reason: String

        var description: String {
            guard let line, let column else { return reason }
            return "line \(line), column \(column): \(reason)"
        }
    }

    /// The document's root element. A document type declaration is refused: SOAP messages
    /// may not have one, and its entities are how XML bombs and external fetches get in.
    static func root(of data: Data) throws(Failure) -> XMLElement {
        guard data.contains(where: { !isWhitespace($0) }) else { throw Failure(reason: "the document is empty") }
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil {
            throw Failure(reason: "the document has a document type declaration (<!DOCTYPE), which is not accepted")
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        // On Linux parse() may answer true and still set parserError: both are checked.
        if !parser.parse() || parser.parserError != nil {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw Failure(line: parser.lineNumber, column: parser.columnNumber, reason: reason(code))
        }
        do {
            guard let root = try XMLDocument(data: data, options: []).rootElement() else { throw Failure(reason: "the document has no root element") }
            return root
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(reason: "\(error)")
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The parser's error codes (NSXMLParserError) that malformed input usually gets.
    private static func reason(_ code: Int) -> String {
        switch code {
        case 4: "not XML (no start tag where the document should begin)"
        case 5: "the document ends before its elements are closed"
        case 9: "a character that XML does not allow"
        case 23, 24, 38, 39, 40, 41, 65, 73: "a malformed start tag or attribute"
        case 26: "an undeclared entity"
        case 68: "a bad entity reference"
        case 76: "an end tag that does not match its start tag"
        case 111: "text or elements after the root element"
        default: "malformed XML (parser error \(code))"
        }
    }
}
