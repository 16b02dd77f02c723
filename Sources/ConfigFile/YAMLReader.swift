import Yams

/// Reads a composed YAML tree by hand (for configurations richer than `Decodable` describes well:
/// the connectors') and turns every problem into a `ConfigFileError` that points at the offending
/// node's line and column.
public struct YAMLReader: Sendable {
    public let file: String

    public init(file: String) { self.file = file }

    public func error(at node: Node?, _ message: String) -> ConfigFileError {
        ConfigFileError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message)
    }

    /// The root node of `text`, or the parser's complaint with its position.
    public func compose(_ text: String) throws(ConfigFileError) -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let yaml as YamlError {
            throw Self.syntaxError(yaml, file: file)
        } catch {
            throw ConfigFileError(file: file, message: "YAML: \(error)")
        }
        guard let root else { throw ConfigFileError(file: file, line: 1, message: "the file is empty") }
        try refuseOverflowingSexagesimals(in: root)
        return root
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text), " } ?? ""
            return ConfigFileError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(detail)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigFileError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.sorted().joined(separator: ", ")) in a mapping")
        default:
            return ConfigFileError(file: file, message: "YAML: \(error)")
        }
    }

    /// The members of a mapping, keys as strings, in file order; `allowed` lists the keys that may appear.
    public func mapping(_ node: Node, _ what: String, allowed: [String]? = nil) throws(ConfigFileError) -> [(key: String, value: Node)] {
        guard let mapping = node.mapping else { throw error(at: node, "\(what) must be a mapping (key: value lines)") }
        var members: [(key: String, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw error(at: keyNode, "keys in \(what) must be plain strings") }
            if let allowed, !allowed.contains(key) {
                throw error(at: keyNode, "unknown key \"\(key)\" in \(what); expected one of: \(allowed.joined(separator: ", "))")
            }
            members.append((key, value))
        }
        return members
    }

    public func member(_ key: String, of members: [(key: String, value: Node)]) -> Node? {
        members.first { $0.key == key }?.value
    }

    public func required(_ key: String, of members: [(key: String, value: Node)], in parent: Node, _ what: String) throws(ConfigFileError) -> Node {
        guard let node = member(key, of: members) else { throw error(at: parent, "\(what) needs \"\(key)\"") }
        return node
    }

    public func string(_ node: Node, _ what: String) throws(ConfigFileError) -> String {
        guard let scalar = node.scalar else { throw error(at: node, "\(what) must be a string") }
        return scalar.string
    }

    public func int(_ node: Node, _ what: String, in range: ClosedRange<Int>) throws(ConfigFileError) -> Int {
        guard let value = node.int, range.contains(value) else {
            throw error(at: node, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    public func seconds(_ node: Node, _ what: String) throws(ConfigFileError) -> Double {
        guard let value = node.float, value > 0, value <= 3600 else { throw error(at: node, "\(what) must be a number of seconds above 0, at most 3600") }
        return value
    }

    /// A string-to-string mapping, such as HTTP headers.
    public func stringMap(_ node: Node, _ what: String) throws(ConfigFileError) -> [(key: String, value: Node)] {
        let members = try mapping(node, what)
        for (key, value) in members where value.scalar == nil {
            throw error(at: value, "\(what) \"\(key)\" must be a string")
        }
        return members
    }
}
