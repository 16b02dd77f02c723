import FoundationXML
import WSECore

/// Turns the payload of a SOAP Body into JSON: an element with child elements is an object
/// keyed by their local names, a leaf is its text (`xsi:nil="true"` is null); a name that
/// occurs more than once, or that the WSDL's schemas declare with `maxOccurs` above 1, is an
/// array (so a list of one is still a list). Attributes and namespaces are dropped.
struct XMLJSON {
    var repeatedElements: Set<String>

    func value(of element: XMLElement) -> JSONValue {
        let children = element.childElements
        if children.isEmpty {
            let isNil = element.attributes?.contains { $0.localName == "nil" && ($0.stringValue == "true" || $0.stringValue == "1") } ?? false
            return isNil ? .null : .string(element.stringValue ?? "")
        }
        var members: [String: JSONValue] = [:]
        for child in children {
            let name = child.localName ?? child.name ?? ""
            let value = value(of: child)
            switch members[name] {
            case nil: members[name] = repeatedElements.contains(name) ? .array([value]) : value
            case .array(var items)?:
                items.append(value)
                members[name] = .array(items)
            case let single?: members[name] = .array([single, value])
            }
        }
        return .object(members)
    }
}
