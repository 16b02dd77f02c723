extension OrcValue {
    /// A copy of the value that shares nothing with the run it came from, for a host call's
    /// arguments (they go to another thread): data is copied, host streams (Sendable) are kept,
    /// other sites and closures, whose state belongs to the run, become their printed form.
    func detached() -> sending OrcValue {
        switch self {
        case .signal: return .signal
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .bigInt(let value): return .bigInt(value)
        case .decimal(let value): return .decimal(value)
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .tuple(let items): return .tuple(OrcValue.detached(items))
        case .list(let list): return .list(OrcList(OrcValue.detached(Array(list))))
        case .record(let record):
            var fields: [(String, OrcValue)] = []
            for field in record.fields { fields.append((field.key, field.value.detached())) }
            return .record(OrcRecord(fields))
        case .data(let constructor, let items):
            return .data(Constructor(name: constructor.name, arity: constructor.arity), OrcValue.detached(items))
        case .site(let stream as OrcStream): return .site(stream)
        case .site, .closure: return .string(formatted)
        }
    }

    /// `detached()` of each value.
    static func detached(_ values: [OrcValue]) -> sending [OrcValue] {
        var copies: [OrcValue] = []
        copies.reserveCapacity(values.count)
        for value in values { copies.append(value.detached()) }
        return copies
    }
}
