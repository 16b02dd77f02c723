import WSECore

/// A JSON Pointer (RFC 6901): `/a/0/b` names member `b` of item 0 of member `a`;
/// `~1` stands for `/` and `~0` for `~` inside a name; the empty pointer names the whole document.
package struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    package let tokens: [String]
    package let description: String

    package init?(_ text: String) {
        guard text.isEmpty || text.hasPrefix("/") else { return nil }
        description = text
        tokens = text.isEmpty
            ? []
            : text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            }
    }

    /// The value the pointer names in `document`, or nil when there is none.
    package func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
