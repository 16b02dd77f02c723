import Foundation
import FoundationXML

/// Namespace-aware reading of a parsed tree (FoundationXML's own `elements(forLocalName:uri:)`
/// finds nothing on Linux).
extension XMLElement {
    /// The child elements, in document order.
    var childElements: [XMLElement] { children?.compactMap { $0 as? XMLElement } ?? [] }

    /// The child elements named `localName` in namespace `uri`.
    func children(_ localName: String, in uri: String) -> [XMLElement] {
        childElements.filter { $0.localName == localName && $0.uri == uri }
    }

    func child(_ localName: String, in uri: String) -> XMLElement? {
        childElements.first { $0.localName == localName && $0.uri == uri }
    }

    /// The value of the unqualified attribute `name` (FoundationXML's `attribute(forName:)` misses
    /// it on Linux when the element is in a default namespace).
    func attributeValue(_ name: String) -> String? {
        attributes?.first { $0.name == name }?.stringValue
    }

    /// An attribute holding a qualified name (`tns:SendSms`), resolved against the namespaces in scope.
    func qualifiedNameAttribute(_ name: String) -> QualifiedName? {
        guard let text = attributeValue(name) else { return nil }
        let local = text.split(separator: ":", maxSplits: 1).last.map(String.init) ?? text
        let namespace = resolveNamespace(forName: text)?.stringValue ?? ""
        return QualifiedName(namespace: namespace, local: local)
    }

    /// The text of the element, trimmed.
    var trimmedText: String { (stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
}
