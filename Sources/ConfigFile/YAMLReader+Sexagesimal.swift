import Yams

extension YAMLReader {
    /// Refuses a plain scalar that Yams would read as a base-60 integer (YAML 1.1: `1:30` is 90) with an overflow:
    /// Yams computes such a value without overflow checks and traps, so `port: +9135384419000002650:0` (or eleven
    /// `:` parts) took the process down (found by the `config-file` fuzz target). Yams tries this for any plain
    /// scalar with a `:` that a `Decodable` field of integer type reads, whatever its resolved tag.
    func refuseOverflowingSexagesimals(in node: Node) throws(ConfigFileError) {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any, Self.trapsAsSexagesimal(scalar.string) else { return }
            throw error(at: node, "\(scalar.string) reads as a base-60 number too large for an integer")
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

    /// Whether Yams' integer reading of `text` would overflow: its steps (underscores dropped, one sign, a radix
    /// prefix read safely, else each `:` part read as a decimal `Int` and summed times powers of 60, the power
    /// taken once more after the last part), each checked for overflow here.
    static func trapsAsSexagesimal(_ text: String) -> Bool {
        let withSign = text.replacingOccurrences(of: "_", with: "")
        guard withSign.contains(":"), withSign != "0" else { return false }
        let unsigned = withSign.hasPrefix("-") || withSign.hasPrefix("+") ? String(withSign.dropFirst()) : withSign
        guard !["0x", "0b", "0o", "0"].contains(where: unsigned.hasPrefix) else { return false }
        let parts = unsigned.components(separatedBy: ":").map { Int($0, radix: 10) }
        guard parts.allSatisfy({ $0 != nil }) else { return false }
        var (base, value) = (1, 0)
        for digit in parts.reversed().compactMap({ $0 }) {
            let (term, termOverflow) = digit.multipliedReportingOverflow(by: base)
            let (sum, sumOverflow) = value.addingReportingOverflow(term)
            let (next, baseOverflow) = base.multipliedReportingOverflow(by: 60)
            if termOverflow || sumOverflow || baseOverflow { return true }
            (base, value) = (next, sum)
        }
        return false
    }
}
