extension JSONValue {
    /// The length in bytes of this value written as compact JSON, counted without writing it (usage records:
    /// `bytes`). Strings count their UTF-8 bytes and the escapes JSON needs; numbers their shortest decimal form.
    public var encodedSize: Int {
        switch self {
        case .null: 4
        case .bool(let value): value ? 4 : 5
        case .number(let value): Self.decimalLength(value)
        case .string(let text): Self.quotedLength(text)
        case .array(let items): 2 + max(items.count - 1, 0) + items.reduce(0) { $0 + $1.encodedSize }
        case .object(let members):
            2 + max(members.count - 1, 0) + members.reduce(0) { $0 + Self.quotedLength($1.key) + 1 + $1.value.encodedSize }
        }
    }

    private static func quotedLength(_ text: String) -> Int {
        var length = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x08, 0x0C, 0x0A, 0x0D, 0x09: length += 2
            case 0..<0x20: length += 6
            default: length += 1
            }
        }
        return length
    }

    private static func decimalLength(_ value: Double) -> Int {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            var magnitude = abs(Int64(value))
            var digits = 1
            while magnitude >= 10 {
                magnitude /= 10
                digits += 1
            }
            return digits + (value < 0 ? 1 : 0)
        }
        return "\(value)".utf8.count
    }
}
