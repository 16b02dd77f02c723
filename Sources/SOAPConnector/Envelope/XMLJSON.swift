import FoundationXML
import WSECore

/// Turns the payload of a SOAP Body into JSON: an element with child elements is an object
/// keyed by their local names, a leaf is its text (`xsi:nil="true"` is null); a name that
/// occurs more than once, or that the WSDL's schema declares with `maxOccurs` above 1 in
/// that place, is an array (so a list of one is still a list). Attributes and namespaces are dropped.
struct XMLJSON {
    var shapes: SchemaShapes

    /// The JSON of the payload element, shaped by the schema's declaration of it.
    func value(of payload: XMLElement) -> JSONValue {
        value(of: payload, type: payload.localName.flatMap { shapes.elements[$0] })
    }

    private func value(of element: XMLElement, type: String?) -> JSONValue {
        let children = element.childElements
        if children.isEmpty {
            let isNil = element.attributes?.contains { $0.localName == "nil" && ($0.stringValue == "true" || $0.stringValue == "1") } ?? false
            return isNil ? .null : .string(element.stringValue ?? "")
        }
        let declared = type.map(shapes.children(ofType:)) ?? [:]
        var members: [String: JSONValue] = [:]
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
}
