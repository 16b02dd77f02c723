extension OrcValue {
    /// The value written in Orc syntax, as the reference prints publications (strings quoted).
    public var formatted: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// The value as `Print`/`Println` and string concatenation show it: a bare string is raw.
    public var displayText: String {
        if case .string(let raw) = self { return raw }
        return formatted
    }

    func write(to text: inout String) {
        switch self {
        case .signal: text += "signal"
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .int(let value): text += String(value)
        case .bigInt(let value): text += value.description
        case .decimal(let value): text += value.description
        case .double(let value): text += JavaDouble.format(value)
        case .string(let value): text += OrcValue.quote(value)
        case .tuple(let items): OrcValue.writeItems(items, open: "(", close: ")", to: &text)
        case .list(let list): OrcValue.writeItems(Array(list), open: "[", close: "]", to: &text)
        case .record(let record):
            if record.fields.isEmpty { text += "{.  .}"; return }
            text += "{. "
            for (index, field) in record.fields.enumerated() {
                if index > 0 { text += ", " }
                text += field.key + " = "
                field.value.write(to: &text)
            }
            text += " .}"
        case .data(let constructor, let items):
            text += constructor.name
            OrcValue.writeItems(items, open: "(", close: ")", to: &text)
        case .closure: text += "<closure>"
        case .site(let site): text += site.name
        }
    }

    private static func writeItems(_ items: [OrcValue], open: String, close: String, to text: inout String) {
        text += open
        for (index, item) in items.enumerated() {
            if index > 0 { text += ", " }
            item.write(to: &text)
        }
        text += close
    }

    static func quote(_ raw: String) -> String {
        var quoted = "\""
        for character in raw.unicodeScalars {
            switch character {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case "\u{0C}": quoted += "\\f"
            default: quoted.unicodeScalars.append(character)
            }
        }
        return quoted + "\""
    }
}
