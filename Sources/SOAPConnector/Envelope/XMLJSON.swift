import FoundationXML
import WSECore

/// Turns the payload of a SOAP Body into JSON: an element with child elements is an object
/// keyed by their local names, a leaf is its text (`xsi:nil="true"` is null); a name that
/// occurs more than once, or that the WSDL's schema declares with `maxOccurs` above 1 in
/// that place, is an array (so a list of one is still a list). An attribute is a member `"@"` +
/// its local name, and a leaf with attributes is an object whose text is `"#text"` (no element
/// name can begin with `@` or `#`); namespace declarations and `xsi:` attributes are left out.
struct XMLJSON {
    static let schemaInstanceNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    var shapes: SchemaShapes

    /// The JSON of the payload element, shaped by the schema's declaration of it.
    func value(of payload: XMLElement) -> JSONValue {
        value(of: payload, type: payload.localName.flatMap { shapes.elements[$0] })
    }

    private func value(of element: XMLElement, type: String?) -> JSONValue {
        let children = element.childElements
        var members = Self.attributeMembers(of: element)
        if children.isEmpty {
            let isNil = element.attributes?.contains { attribute in
                Self.name(of: attribute).map { $0 == ("nil", Self.schemaInstanceNamespace) } == true
                    && (attribute.stringValue == "true" || attribute.stringValue == "1")
            } ?? false
            if isNil { return .null }
            let text = JSONValue.string(element.stringValue ?? "")
            guard !members.isEmpty else { return text }
            members["#text"] = text
            return .object(members)
        }
        let declared = type.map(shapes.children(ofType:)) ?? [:]
        for child in children {
            let name = child.localName ?? child.name ?? ""
            let shape = declared[name]
            let value = value(of: child, type: shape?.type)
            switch members[name] {
            case nil: members[name] = shape?.repeated == true ? .array([value]) : value
            case .array(var items)?:  // values are never arrays themselves: this is a list being built
                items.append(value)
                members[name] = .array(items)
            case let single?: members[name] = .array([single, value])
            }
        }
        return .object(members)
    }

    /// `"@name": value` for each attribute that is the answer's data: not `xsi:type` and the like (FoundationXML
    /// does not list namespace declarations as attributes).
    private static func attributeMembers(of element: XMLElement) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for attribute in element.attributes ?? [] {
            guard let (local, namespace) = name(of: attribute), namespace != schemaInstanceNamespace else { continue }
            members["@" + local] = .string(attribute.stringValue ?? "")
        }
        return members
    }

    /// An attribute's local name and namespace, taken from its qualified name: FoundationXML on Linux crashes when
    /// asked for the `localName`, `prefix` or `uri` of an attribute without a prefix (it has no namespace then).
    private static func name(of attribute: XMLNode) -> (local: String, namespace: String?)? {
        guard let name = attribute.name else { return nil }
        guard let colon = name.firstIndex(of: ":") else { return (name, nil) }
        return (String(name[name.index(after: colon)...]), attribute.uri)
    }
}
