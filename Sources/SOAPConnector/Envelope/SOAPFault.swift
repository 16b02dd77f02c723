import ConnectorKit
import Foundation
import FoundationXML

/// A SOAP fault, 1.1 (`faultcode`, `faultstring`) or 1.2 (`Code/Value`, `Subcode/Value`,
/// `Reason/Text`), and the connector error it becomes: `soap_fault`, 400 when the fault
/// blames the request (Client, Sender), else 502. A WS-Security fault (`wsse:FailedAuthentication`,
/// a code naming security) blames the connector's credentials, not the request: 502.
struct SOAPFault {
    /// The fault code as sent (`soap:Client.SVC0002`; for 1.2 the code and subcodes, `Sender/SVC0002`).
    var code: String
    var reason: String
    /// The code's first local name: `Client.SVC0002`, `Sender`.
    private var kind: String

    init(_ fault: XMLElement, version: SOAPVersion) {
        switch version {
        case .v1_1:
            // faultcode and faultstring are unqualified in SOAP 1.1.
            code = fault.childElements.first { $0.localName == "faultcode" }?.trimmedText ?? ""
            reason = fault.childElements.first { $0.localName == "faultstring" }?.trimmedText ?? ""
            kind = Self.localName(code)
        case .v1_2:
            let namespace = version.envelopeNamespace
            var names: [String] = []
            var level = fault.child("Code", in: namespace)
            while let current = level {
                if let value = current.child("Value", in: namespace)?.trimmedText { names.append(Self.localName(value)) }
                level = current.child("Subcode", in: namespace)
            }
            code = names.joined(separator: "/")
            reason = fault.child("Reason", in: namespace)?.child("Text", in: namespace)?.trimmedText ?? ""
            kind = names.first ?? ""
        }
    }

    private static func localName(_ qualified: String) -> String {
        qualified.split(separator: ":", maxSplits: 1).last.map(String.init) ?? qualified
    }

    var isSecurityFault: Bool {
        ["security", "authentication"].contains { code.localizedCaseInsensitiveContains($0) }
    }

    var blamesRequest: Bool { !isSecurityFault && (kind.hasPrefix("Client") || kind.hasPrefix("Sender")) }

    func error(what: String) -> ConnectorError {
        let message = "\(what) answered a SOAP fault \(code): \(reason)" + (isSecurityFault ? " (check the connector's credentials for it)" : "")
        return ConnectorError(status: blamesRequest ? .badRequest : .badGateway, code: "soap_fault", message: message)
    }
}
