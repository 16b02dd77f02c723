import Foundation

extension OrcValue {
    /// Converts plain Swift data (as decoded from JSON) to an Orc value: `String`, `Int`,
    /// `Double`, `Bool`, arrays → lists, `[String: Any]` → records (keys sorted), nil/`NSNull` → `null`.
    public init(plain: Any?) {
        switch plain {
        case nil, is NSNull: self = .null
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .int(value)
        case let value as Double:
            if let exact = BigDecimal(literal: Substring(String(value))), value.isFinite { self = .decimal(exact) } else { self = .double(value) }
        case let value as String: self = .string(value)
        case let value as [Any?]: self = .list(OrcList(value.map { OrcValue(plain: $0) }))
        case let value as [String: Any?]:
            self = .record(OrcRecord(value.keys.sorted().map { ($0, OrcValue(plain: value[$0] ?? nil)) }))
        case let value as OrcValue: self = value
        default: self = .string(String(describing: plain!))
        }
    }

    /// The value as plain Swift data for JSON: numbers as `Int`/`Double` (huge integers and
    /// exact decimals become `Double`), lists and tuples as arrays, records and datatype values
    /// as dictionaries (`{"constructor": "Some", "values": […]}`), `signal`/`null` as `NSNull`,
    /// closures and sites as their printed form.
    public var plainValue: Any {
        switch self {
        case .signal, .null: return NSNull()
        case .bool(let value): return value
        case .int(let value): return value
        case .bigInt(let value): return value.asDouble
        case .decimal(let value): return value.asDouble
        case .double(let value): return value
        case .string(let value): return value
        case .tuple(let items): return items.map(\.plainValue)
        case .list(let list): return list.map(\.plainValue)
        case .record(let record):
            var dictionary: [String: Any] = [:]
            for field in record.fields { dictionary[field.key] = field.value.plainValue }
            return dictionary
        case .data(let constructor, let items): return ["constructor": constructor.name, "values": items.map(\.plainValue)] as [String: Any]
        case .closure, .site: return formatted
        }
    }

    /// Wraps a host site so that it can be passed in `OrcRun(host:)`.
    public static func hostSite(_ name: String, _ site: OrcHostSite) -> OrcValue {
        .site(HostSiteAdapter(name: name, host: site))
    }
}
