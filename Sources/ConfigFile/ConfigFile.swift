import Foundation
import Yams

/// A configuration file that could not be used, with where and why.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form editors and terminals link to.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}

/// Reads YAML (or JSON, which is YAML) configuration files into `Decodable` types, and
/// reports every problem with its file, line and column.
///
/// Used by the node (`wse serve`) and by the connectors, which run as their own processes.
public enum ConfigFile {
    public static func load<T: Decodable>(_ type: T.Type, from path: String) throws(ConfigFileError) -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigFileError(file: path, message: "cannot read the file (\(error.localizedDescription)); check the path given to --config")
        }
        return try decode(type, yaml: text, file: path)
    }

    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String) throws(ConfigFileError) -> T {
        let root = try YAMLReader(file: file).compose(yaml)
        do {
            return try YAMLDecoder().decode(type, from: root)
        } catch let error as DecodingError {
            throw describe(error, root: root, file: file)
        } catch {
            throw ConfigFileError(file: file, message: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError, root: Node, file: String) -> ConfigFileError {
        let path: [CodingKey]
        let message: String
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath
            message = "missing required key '\(key.stringValue)'\(location(context.codingPath))"
        case .typeMismatch(let type, let context):
            path = context.codingPath
            message = "'\(dotted(context.codingPath))' must be \(describe(type))"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            message = "'\(dotted(context.codingPath))' needs a value (\(describe(type)))"
        case .dataCorrupted(let context):
            path = context.codingPath
            message = "'\(dotted(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return ConfigFileError(file: file, message: "\(error)")
        }
        let mark = node(at: path, in: root)?.mark
        return ConfigFileError(file: file, line: mark?.line, column: mark?.column, message: message)
    }

    /// The node a coding path names, or the deepest one that exists on the way.
    private static func node(at path: [CodingKey], in root: Node) -> Node? {
        var current = root
        for key in path {
            let next: Node?
            if let index = key.intValue, case .sequence(let items) = current {
                next = index < items.count ? items[index] : nil
            } else {
                next = current[key.stringValue]
            }
            guard let next else { break }
            current = next
        }
        return current
    }

    private static func dotted(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    private static func location(_ path: [CodingKey]) -> String {
        path.isEmpty ? "" : " in '\(dotted(path))'"
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is UInt.Type, is UInt16.Type, is Int64.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a mapping (\(name))"
        }
    }
}
