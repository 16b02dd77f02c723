import Orc
import WSECore

extension OrcValue {
    /// Service data as an Orc value: objects become records (fields in key order), arrays lists,
    /// integral numbers integers, other numbers decimals, `null` Orc's `null`.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value): self = json.intValue.map(OrcValue.int) ?? OrcValue(plain: value)
        case .string(let value): self = .string(value)
        case .array(let items): self = .list(OrcList(items.map(OrcValue.init(json:))))
        case .object(let members):
            self = .record(OrcRecord(members.keys.sorted().map { ($0, OrcValue(json: members[$0]!)) }))
        }
    }
}

extension JSONValue {
    /// A published Orc value as JSON: records become objects, lists and tuples arrays, every number a
    /// JSON number (integers beyond 2^53 and decimals lose precision), `signal` and `null` become `null`,
    /// datatype values `{"constructor","values"}`, closures and sites their printed form.
    public init(orc value: OrcValue) {
        switch value {
        case .signal, .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .bigInt(let number): self = .number(number.asDouble)
        case .decimal(let number): self = .number(number.asDouble)
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .tuple(let items): self = .array(items.map(JSONValue.init(orc:)))
        case .list(let list): self = .array(list.map(JSONValue.init(orc:)))
        case .record(let record):
            self = .object(Dictionary(record.fields.map { ($0.key, JSONValue(orc: $0.value)) }, uniquingKeysWith: { _, last in last }))
        case .data(let constructor, let items):
            self = .object(["constructor": .string(constructor.name), "values": .array(items.map(JSONValue.init(orc:)))])
        case .closure, .site: self = .string(value.formatted)
        }
    }
}
