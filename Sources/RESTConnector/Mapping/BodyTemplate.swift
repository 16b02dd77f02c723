import ConnectorKit
import WSECore

/// A JSON body with placeholders in its strings.
///
/// A string that is exactly one placeholder becomes that value with its JSON type
/// (`frequency: "{data.interval}"` sends the number 5); a string with other text around
/// placeholders stays a string.
indirect enum BodyTemplate: Sendable, Hashable {
    case literal(JSONValue)
    case string(StringTemplate)
    case array([BodyTemplate])
    case object([String: BodyTemplate])

    var dataFields: [Placeholder] {
        switch self {
        case .literal: []
        case .string(let template): template.dataFields
        case .array(let items): items.flatMap(\.dataFields)
        case .object(let members): members.values.flatMap(\.dataFields)
        }
    }

    func render(_ values: TemplateValues) throws(ConnectorError) -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .string(let template):
            if let single = template.singlePlaceholder { return try values.value(of: single) }
            return .string(try template.render(values))
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try item.render(values)) }
            return .array(out)
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members { out[key] = try member.render(values) }
            return .object(out)
        }
    }
}
