import Yams

extension YAMLReader {
    /// Refuses an integer written in base 60 (YAML 1.1: `1:30` is 90) that does not fit in `Int`: Yams multiplies
    /// such a value without an overflow check and traps, so `port: +9135384419000002650:0` took the process down
    /// (found by the `config-file` fuzz target). Every other integer form Yams reads returns nil on overflow.
    func refuseOverflowingSexagesimals(in node: Node) throws(ConfigFileError) {
        switch node {
        case .scalar(let scalar):
            guard scalar.string.contains(":"), node.tag.description == Tag.Name.int.rawValue, Self.sexagesimal(scalar.string) == nil else { return }
            throw error(at: node, "\(scalar.string) is a base-60 number too large for an integer")
        case .mapping(let mapping):
            for (key, value) in mapping {
                try refuseOverflowingSexagesimals(in: key)
                try refuseOverflowingSexagesimals(in: value)
            }
        case .sequence(let sequence):
            for element in sequence { try refuseOverflowingSexagesimals(in: element) }
        case .alias:
            return
        }
    }

    /// The value of a base-60 integer (`-1_0:30:15`), or nil when it does not fit in `Int`.
    static func sexagesimal(_ text: String) -> Int? {
        var digits = Substring(text.replacingOccurrences(of: "_", with: ""))
        let negative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        var value = 0
        for part in digits.split(separator: ":", omittingEmptySubsequences: false) {
            guard let place = Int(part), case let (shifted, false) = value.multipliedReportingOverflow(by: 60),
                  case let (sum, false) = shifted.addingReportingOverflow(place)
            else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}
