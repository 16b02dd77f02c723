import Foundation

/// The Java `String` methods Orc programs call on strings (`s.length()`, `s.substring(1, 3)`, …),
/// with Java's UTF-16 indexing, plus the prelude's `lines` and `words`.
enum StringMethods {
    static func member(_ name: String, of text: String) -> OrcValue? {
        guard let body = method(name, text) else { return nil }
        return .site(MethodSite(name: "String.\(name)") { arguments, _ in body(arguments) })
    }

    private static func method(_ name: String, _ text: String) -> (([OrcValue]) -> SiteOutcome)? {
        let units = Array(text.utf16)
        func string(_ slice: ArraySlice<UInt16>) -> OrcValue { .string(String(decoding: slice, as: UTF16.self)) }
        func integers(_ arguments: [OrcValue]) -> [Int]? {
            var result: [Int] = []
            for argument in arguments {
                guard case .int(let value) = argument else { return nil }
                result.append(value)
            }
            return result
        }
        func strings(_ arguments: [OrcValue]) -> [String]? {
            var result: [String] = []
            for argument in arguments {
                guard case .string(let value) = argument else { return nil }
                result.append(value)
            }
            return result
        }
        func outOfBounds(_ arguments: [OrcValue]) -> SiteOutcome {
            .error(.java("java.lang.StringIndexOutOfBoundsException", arguments.map(\.formatted).joined(separator: ", ")))
        }
        switch name {
        case "length": return { _ in .publish(.int(units.count)) }
        case "isEmpty": return { _ in .publish(.bool(units.isEmpty)) }
        case "toUpperCase": return { _ in .publish(.string(text.uppercased())) }
        case "toLowerCase": return { _ in .publish(.string(text.lowercased())) }
        case "trim": return { _ in .publish(.string(text.trimmingCharacters(in: .whitespacesAndNewlines))) }
        case "substring": return { arguments in
            guard let bounds = integers(arguments), (1...2).contains(bounds.count) else { return outOfBounds(arguments) }
            let end = bounds.count == 2 ? bounds[1] : units.count
            guard bounds[0] >= 0, bounds[0] <= end, end <= units.count else { return outOfBounds(arguments) }
            return .publish(string(units[bounds[0]..<end]))
        }
        case "charAt": return { arguments in
            guard let index = integers(arguments)?.first, units.indices.contains(index) else { return outOfBounds(arguments) }
            return .publish(string(units[index...index]))
        }
        case "indexOf", "lastIndexOf", "startsWith", "endsWith", "contains", "concat", "equals":
            return { arguments in
                guard let other = strings(arguments)?.first else {
                    return .error(.typeMismatch(name, expected: "a string", got: arguments.first ?? .null))
                }
                switch name {
                case "indexOf": return .publish(.int(text.range(of: other).map { text.utf16.distance(from: text.startIndex, to: $0.lowerBound) } ?? -1))
                case "lastIndexOf":
                    return .publish(.int(text.range(of: other, options: .backwards).map { text.utf16.distance(from: text.startIndex, to: $0.lowerBound) } ?? -1))
                case "startsWith": return .publish(.bool(text.hasPrefix(other)))
                case "endsWith": return .publish(.bool(text.hasSuffix(other)))
                case "contains": return .publish(.bool(text.contains(other)))
                case "concat": return .publish(.string(text + other))
                default: return .publish(.bool(text.unicodeScalars.elementsEqual(other.unicodeScalars)))
                }
            }
        case "replace": return { arguments in
            guard let pair = strings(arguments), pair.count == 2 else {
                return .error(.typeMismatch(name, expected: "two strings", got: .tuple(arguments)))
            }
            return .publish(.string(text.replacingOccurrences(of: pair[0], with: pair[1])))
        }
        case "split": return { arguments in
            guard let separator = strings(arguments)?.first else {
                return .error(.typeMismatch(name, expected: "a string", got: arguments.first ?? .null))
            }
            var pieces = text.components(separatedBy: separator)
            while pieces.count > 1 && pieces.last == "" { pieces.removeLast() }   // Java drops trailing empties
            return .publish(.list(OrcList(pieces.map { .string($0) })))
        }
        default: return nil
        }
    }

    /// `lines(s)` and `words(s)`.
    static func sites() -> [String: OrcValue] {
        func splitter(_ name: String, _ split: @escaping (String) -> [String]) -> OrcValue {
            .site(MethodSite(name: name) { arguments, _ in
                guard arguments.count == 1, case .string(let text) = arguments[0] else {
                    return .error(.typeMismatch(name, expected: "a string", got: arguments.first ?? .null))
                }
                return .publish(.list(OrcList(split(text).map { .string($0) })))
            })
        }
        return [
            "lines": splitter("lines") { text in
                var lines = text.components(separatedBy: "\n")
                if lines.last == "" { lines.removeLast() }
                return lines
            },
            "words": splitter("words") { text in text.split(whereSeparator: { $0.isWhitespace }).map(String.init) },
        ]
    }
}
