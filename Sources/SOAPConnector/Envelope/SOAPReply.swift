import ConnectorKit
import Foundation
import FoundationXML
import WSECore

/// Reads an upstream's answer: the payload of a SOAP Body as JSON, or the error the
/// connector answers instead (a fault, HTML, garbage, an HTTP error without an envelope).
struct SOAPReply {
    var version: SOAPVersion
    /// Names the call in messages: "the sms service (SendSms)".
    var what: String
    var shapes: SchemaShapes

    func payload(status: Int, contentType: String?, body: Data) throws(ConnectorError) -> JSONValue {
        let root: XMLElement
        do {
            root = try XMLInput.root(of: body)
        } catch {
            throw notSOAP(status: status, contentType: contentType, body: body, why: "a body that is not XML (\(error))")
        }
        guard root.localName == "Envelope", root.uri == version.envelopeNamespace else {
            let name = QualifiedName(namespace: root.uri ?? "", local: root.localName ?? "?")
            throw notSOAP(status: status, contentType: contentType, body: body, why: "XML that is not a SOAP \(version.rawValue) envelope (root element \(name))")
        }
        guard let soapBody = root.child("Body", in: version.envelopeNamespace) else {
            throw ConnectorError(status: .badGateway, code: "bad_upstream_reply", message: "\(what) answered an envelope without a Body")
        }
        let content = soapBody.childElements.first
        if let content, content.localName == "Fault", content.uri == version.envelopeNamespace {
            throw SOAPFault(content, version: version).error(what: what)
        }
        guard (200..<300).contains(status) else {
            throw ConnectorError(status: .badGateway, code: "bad_upstream_reply", message: "\(what) answered HTTP \(status) without a SOAP fault")
        }
        guard let content else { return .object([:]) }  // a one-way operation's empty Body
        return XMLJSON(shapes: shapes).value(of: content)
    }

    /// The error for an answer that is not SOAP at all; HTML (an error page, a login page, a proxy) is named as such.
    private func notSOAP(status: Int, contentType: String?, body: Data, why: String) -> ConnectorError {
        let start = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let html = contentType?.lowercased().contains("html") == true || start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
        let answer = html ? "an HTML page, not a SOAP envelope" : why
        return ConnectorError(status: .badGateway, code: "bad_upstream_reply", message: "\(what) answered HTTP \(status) with \(answer)")
    }
}
