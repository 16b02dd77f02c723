extension OrcValue: Equatable {
    /// Orc's `=`: structural on data, numeric by value across integer/decimal/double, identity on sites.
    public static func == (lhs: OrcValue, rhs: OrcValue) -> Bool {
        switch (lhs, rhs) {
        case (.signal, .signal), (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)  // Java: no normalisation
        case (.tuple(let a), .tuple(let b)): return a == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
        case (.record(let a), .record(let b)):
            return a.fields.count == b.fields.count && a.fields.allSatisfy { field in b[field.key] == field.value }
        case (.data(let c1, let a), .data(let c2, let b)): return c1 === c2 && a == b
        case (.closure(let a), .closure(let b)): return a === b
        case (.site(let a), .site(let b)): return a === b
        default:
            if let order = Arithmetic.compare(lhs, rhs) { return order == 0 }
            return false
        }
    }
}
