import Foundation
import WSECore

/// A string with `{placeholder}` parts, for URLs, header values and body strings.
package struct StringTemplate: Sendable, Hashable {
    package enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(Placeholder)
    }

    package var parts: [Part]

    package init(parts: [Part]) { self.parts = parts }

    /// The data fields the template needs (`data.address`), so a request without them is refused up front.
    package var dataFields: [Placeholder] {
        var fields: [Placeholder] = []
        for case .placeholder(let placeholder) in parts {
            if case .data = placeholder { fields.append(placeholder) }
        }
        return fields
    }

    /// The text when the template has no placeholder left (`{env.*}` are filled at load).
    package var literalText: String? {
        var text = ""
        for part in parts {
            guard case .literal(let literal) = part else { return nil }
            text += literal
        }
        return text
    }

    /// The placeholder when the template is exactly one placeholder and nothing else.
    package var singlePlaceholder: Placeholder? {
        if parts.count == 1, case .placeholder(let p) = parts[0] { return p }
        return nil
    }

    /// Characters a URL placeholder keeps as they are (RFC 3986 unreserved); the rest is %-encoded.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Fills the placeholders. With `urlEncoded`, each value is percent-encoded, unless the
    /// template is a single placeholder (a whole URL such as `{resource}`).
    package func render(_ values: TemplateValues, urlEncoded: Bool = false) throws(ConnectorError) -> String {
        if let single = singlePlaceholder { return try values.text(of: single) }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .placeholder(let placeholder):
                let text = try values.text(of: placeholder)
                out += urlEncoded ? (text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text) : text
            }
        }
        return out
    }
}

extension StringTemplate {
    /// Why a template could not be read; the caller adds the position.
    package struct SyntaxError: Error {
        package var message: String
    }

    /// Reads `text`. `allowed` lists the placeholders this template may use (besides `env.*`,
    /// which is replaced here from `environment`).
    package init(parsing text: String, allowed: Set<String>, environment: [String: String]) throws(SyntaxError) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw SyntaxError(message: "unclosed \"{\" in \"\(text)\"")
            }
            let name = String(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            if name.hasPrefix("env.") {
                let variable = String(name.dropFirst(4))
                guard let value = environment[variable] else {
                    throw SyntaxError(message: "environment variable \(variable) is not set (used as {\(name)})")
                }
                literal += value
                continue
            }
            let placeholder = try Self.placeholder(named: name)
            let root = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
            guard allowed.contains(root) else {
                throw SyntaxError(message: "{\(name)} cannot be used here; allowed: \(allowed.sorted().map { "{\($0)}" }.joined(separator: ", "))")
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.placeholder(placeholder))
        }
        literal += rest
        if literal.contains("}") { throw SyntaxError(message: "\"}\" without \"{\" in \"\(text)\"") }
        if !literal.isEmpty || parts.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    private static func placeholder(named name: String) throws(SyntaxError) -> Placeholder {
        let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch path.first {
        case "user" where path.count == 1: return .user
        case "pid" where path.count == 1: return .pid
        case "notify_url" where path.count == 1: return .notifyURL
        case "resource" where path.count == 1: return .resource
        case "data" where !path.dropFirst().contains(""): return .data(Array(path.dropFirst()))
        default:
            throw SyntaxError(message: "unknown placeholder {\(name)}; use {user}, {pid}, {data.<field>}, {notify_url}, {resource} or {env.<VARIABLE>}")
        }
    }
}
