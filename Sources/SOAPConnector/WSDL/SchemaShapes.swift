import FoundationXML

/// What the WSDL's schemas say about the shape of answers: for each complex type its child
/// elements, whether each may repeat (`maxOccurs` above 1) and its type. That is how a list
/// of one stays a JSON list. Names are local (namespaces are not told apart), anonymous types
/// are keyed by the path of the element that holds them.
struct SchemaShapes: Sendable {
    struct Child: Sendable, Equatable {
        var repeated: Bool
        /// The key of its complex type, when it has one.
        var type: String?
    }

    private(set) var types: [String: [String: Child]] = [:]
    /// A type key → the key of the type it extends.
    private(set) var bases: [String: String] = [:]
    /// A top-level element name → the key of its type.
    private(set) var elements: [String: String] = [:]

    static let namespace = "http://www.w3.org/2001/XMLSchema"

    init() {}

    init(schemas: [XMLElement]) {
        for schema in schemas {
            for node in schema.childElements where node.uri == Self.namespace {
                guard let name = node.attributeValue("name") else { continue }
                switch node.localName {
                case "element":
                    if let type = node.attributeValue("type") {
                        elements[name] = Self.local(type)
                    } else if let anonymous = node.child("complexType", in: Self.namespace) {
                        elements[name] = "element:\(name)"
                        read(anonymous, as: "element:\(name)")
                    }
                case "complexType":
                    read(node, as: name)
                default:
                    break
                }
            }
        }
    }

    /// The children of the type `key`, those of the types it extends included.
    func children(ofType key: String) -> [String: Child] {
        var merged: [String: Child] = [:]
        var next: String? = key
        var seen: Set<String> = []
        while let current = next, seen.insert(current).inserted {
            merged.merge(types[current] ?? [:]) { own, _ in own }
            next = bases[current]
        }
        return merged
    }

    private mutating func read(_ complexType: XMLElement, as key: String) {
        var children: [String: Child] = [:]
        collect(in: complexType, key: key, into: &children)
        types[key] = children
    }

    /// The element declarations of a content model (sequence, choice, all, extensions), not descending into child elements.
    private mutating func collect(in node: XMLElement, key: String, into children: inout [String: Child]) {
        for child in node.childElements where child.uri == Self.namespace {
            switch child.localName {
            case "element":
                guard let name = child.attributeValue("name") ?? child.attributeValue("ref").map(Self.local) else { continue }
                let maxOccurs = child.attributeValue("maxOccurs") ?? "1"
                var type = child.attributeValue("type").map(Self.local)
                if type == nil, let anonymous = child.child("complexType", in: Self.namespace) {
                    type = "\(key)/\(name)"
                    read(anonymous, as: "\(key)/\(name)")
                }
                if type == nil, let reference = child.attributeValue("ref") { type = elements[Self.local(reference)] }
                children[name] = Child(repeated: maxOccurs == "unbounded" || (Int(maxOccurs) ?? 1) > 1, type: type)
            case "extension":
                if let base = child.attributeValue("base") { bases[key] = Self.local(base) }
                collect(in: child, key: key, into: &children)
            case "sequence", "choice", "all", "complexContent":
                collect(in: child, key: key, into: &children)
            default:
                break
            }
        }
    }

    private static func local(_ qualified: String) -> String {
        qualified.split(separator: ":", maxSplits: 1).last.map(String.init) ?? qualified
    }
}
