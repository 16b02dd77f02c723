import Crypto
import Foundation
import FoundationXML

/// WS-Security UsernameToken credentials toward an upstream (OASIS UsernameToken Profile 1.0),
/// sent in a `wsse:Security` header: the password in clear (PasswordText, for TLS links) or as
/// Base64(SHA-1(nonce + created + password)) with a fresh nonce and time (PasswordDigest).
struct UsernameToken: Sendable {
    var username: String
    var password: String
    var digest: Bool

    static let securityNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    static let utilityNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
    static let profile = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    static let base64Binary = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"

    /// The `wsse:Security` header element; `envelopePrefix` is the prefix bound to the envelope namespace.
    func header(_ version: SOAPVersion, envelopePrefix: String, now: Date = Date()) -> XMLElement {
        let security = XMLElement(name: "wsse:Security")
        security.declareNamespace("wsse", Self.securityNamespace)
        security.setAttribute("\(envelopePrefix):mustUnderstand", version.mustUnderstandValue)
        let token = XMLElement(name: "wsse:UsernameToken")
        token.addChild(XMLElement(name: "wsse:Username", stringValue: username))
        if digest {
            token.declareNamespace("wsu", Self.utilityNamespace)
            var nonce = [UInt8](repeating: 0, count: 16)
            var generator = SystemRandomNumberGenerator()
            for index in nonce.indices { nonce[index] = generator.next() }
            let created = now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let password = XMLElement(name: "wsse:Password", stringValue: Self.digest(nonce: nonce, created: created, password: self.password))
            password.setAttribute("Type", Self.profile + "#PasswordDigest")
            token.addChild(password)
            let nonceElement = XMLElement(name: "wsse:Nonce", stringValue: Data(nonce).base64EncodedString())
            nonceElement.setAttribute("EncodingType", Self.base64Binary)
            token.addChild(nonceElement)
            token.addChild(XMLElement(name: "wsu:Created", stringValue: created))
        } else {
            let password = XMLElement(name: "wsse:Password", stringValue: self.password)
            password.setAttribute("Type", Self.profile + "#PasswordText")
            token.addChild(password)
        }
        security.addChild(token)
        return security
    }

    /// Base64(SHA-1(nonce + created + password)), as the profile defines PasswordDigest.
    static func digest(nonce: [UInt8], created: String, password: String) -> String {
        var hash = Insecure.SHA1()
        hash.update(data: nonce)
        hash.update(data: Array(created.utf8))
        hash.update(data: Array(password.utf8))
        return Data(hash.finalize()).base64EncodedString()
    }
}
