import FoundationXML

/// Building request trees with FoundationXML: names carry their prefix, namespaces are
/// declared once where they start, text is escaped by the library.
extension XMLElement {
    func setAttribute(_ name: String, _ value: String) {
        let attribute = XMLNode(kind: .attribute)
        attribute.name = name
        attribute.stringValue = value
        addAttribute(attribute)
    }

    /// Declares `prefix` for `uri` on this element (`xmlns:prefix="uri"`).
    func declareNamespace(_ prefix: String, _ uri: String) {
        let namespace = XMLNode(kind: .namespace)
        namespace.name = prefix
        namespace.stringValue = uri
        addNamespace(namespace)
    }
}
