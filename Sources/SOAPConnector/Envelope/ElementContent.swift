import ConnectorKit
import FoundationXML
import WSECore

/// The children of a request element, by configuration: each YAML key an element (in file
/// order, as an `xs:sequence` wants), each value its text, a list of values repeated
/// elements, a mapping nested elements. A lone placeholder whose value is a JSON array
/// (`to: "{data.to}"` with `["tel:…","tel:…"]`) makes one element per item; a null or
/// missing optional value leaves the element out.
indirect enum ElementContent: Sendable {
    case text(StringTemplate)
    case list([ElementContent])
    case children([(name: String, content: ElementContent)])

    /// The `data` fields it needs.
    var dataFields: [Placeholder] {
        switch self {
        case .text(let template): template.dataFields
        case .list(let items): items.flatMap(\.dataFields)
        case .children(let members): members.flatMap(\.content.dataFields)
        }
    }

    /// The elements named `prefix` + `name` that this content makes; `prefix` (`m:` when the
    /// schema qualifies local elements, else empty) goes to nested elements too.
    func render(name localName: String, prefix: String, _ values: TemplateValues) throws(ConnectorError) -> [XMLElement] {
        let name = prefix + localName
        switch self {
        case .text(let template):
            if let single = template.singlePlaceholder {
                switch try values.value(of: single) {
                case .array(let items): return try items.map { item throws(ConnectorError) in XMLElement(name: name, stringValue: try Self.text(item, single)) }
                case let value: return [XMLElement(name: name, stringValue: try Self.text(value, single))]
                }
            }
            return [XMLElement(name: name, stringValue: try Self.checked(try template.render(values), template.dataFields.first))]
        case .list(let items):
            var out: [XMLElement] = []
            for item in items { out += try item.render(name: localName, prefix: prefix, values) }
            return out
        case .children(let members):
            let element = XMLElement(name: name)
            for member in members {
                for child in try member.content.render(name: member.name, prefix: prefix, values) { element.addChild(child) }
            }
            return [element]
        }
    }

    /// The text a JSON value makes: strings as they are, numbers and booleans as JSON writes them.
    private static func text(_ value: JSONValue, _ placeholder: Placeholder) throws(ConnectorError) -> String {
        switch value {
        case .string(let text): return try checked(text, placeholder)
        case .number, .bool: return value.jsonText
        default: throw .badRequest("field \(placeholder.name) must be a string, a number, a boolean or a list of them")
        }
    }

    /// XML 1.0 cannot carry most control characters, not even escaped: refused rather than sent broken.
    private static func checked(_ text: String, _ placeholder: Placeholder?) throws(ConnectorError) -> String {
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            scalar.value >= 0x20 ? scalar.value != 0xFFFE && scalar.value != 0xFFFF : scalar == "\t" || scalar == "\n" || scalar == "\r"
        }
        guard allowed else { throw .badRequest("field \(placeholder?.name ?? "data") has a control character that XML cannot carry") }
        return text
    }
}
