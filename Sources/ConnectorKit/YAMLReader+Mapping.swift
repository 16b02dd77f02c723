import ConfigFile
import Yams

/// The YAML forms of the mapping pieces the connectors share (docs/REST-CONNECTOR.md,
/// docs/SOAP-CONNECTOR.md): string templates and response mappings.
extension YAMLReader {
    /// A string with placeholders; `allowed` lists the placeholders it may use, `{env.NAME}` is filled now.
    package func template(_ node: Node, _ what: String, allowed: Set<String>, environment: [String: String]) throws(ConfigFileError) -> StringTemplate {
        let text = try string(node, what)
        do {
            return try StringTemplate(parsing: text, allowed: allowed, environment: environment)
        } catch let syntax {
            throw error(at: node, "\(what): \(syntax.message)")
        }
    }

    /// A response mapping: a JSON pointer (`?` at the end: optional), a mapping of members, or `{each, map}`.
    package func responseMapping(_ node: Node, _ what: String) throws(ConfigFileError) -> ResponseMapping {
        if let scalar = node.scalar {
            var text = scalar.string
            let optional = text.hasSuffix("?")
            if optional { text.removeLast() }
            guard let pointer = JSONPointer(text) else {
                throw error(at: node, "\(what): \"\(scalar.string)\" is not a JSON pointer; paths start with / (e.g. /items/0/name)")
            }
            return .value(pointer, optional: optional)
        }
        let members = try mapping(node, what)
        if let eachNode = member("each", of: members) {
            guard members.count == 2, let mapNode = member("map", of: members) else {
                throw error(at: node, "\(what): a list mapping has exactly two keys, each (pointer to an array) and map")
            }
            let eachText = try string(eachNode, "\(what) each")
            guard let pointer = JSONPointer(eachText) else { throw error(at: eachNode, "\(what) each: \"\(eachText)\" is not a JSON pointer") }
            return .each(pointer, try responseMapping(mapNode, "\(what) map"))
        }
        var out: [String: ResponseMapping] = [:]
        for (name, value) in members { out[name] = try responseMapping(value, "\(what).\(name)") }
        return .object(out)
    }
}
