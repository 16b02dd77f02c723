import ConnectorKit
import Foundation
import FoundationXML

/// Builds the request envelope of one call:
/// `Envelope(Header(Security)?, Body(<request element>(<configured children>)))`.
enum SOAPRequest {
    static let envelopePrefix = "soap"
    static let operationPrefix = "m"

    static func envelope(
        _ action: SOAPActionMapping, version: SOAPVersion, security: UsernameToken?, values: TemplateValues
    ) throws(ConnectorError) -> Data {
        let envelope = XMLElement(name: "\(envelopePrefix):Envelope")
        envelope.declareNamespace(envelopePrefix, version.envelopeNamespace)
        if let security {
            let header = XMLElement(name: "\(envelopePrefix):Header")
            header.addChild(security.header(version, envelopePrefix: envelopePrefix))
            envelope.addChild(header)
        }
        let body = XMLElement(name: "\(envelopePrefix):Body")
        let request = XMLElement(name: "\(operationPrefix):\(action.operation.requestElement.local)")
        request.declareNamespace(operationPrefix, action.operation.requestElement.namespace)
        let childPrefix = action.operation.qualifiedChildren ? "\(operationPrefix):" : ""
        for member in action.body {
            for child in try member.content.render(name: member.name, prefix: childPrefix, values) { request.addChild(child) }
        }
        body.addChild(request)
        envelope.addChild(body)
        let document = XMLDocument(rootElement: envelope)
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [])
    }
}
