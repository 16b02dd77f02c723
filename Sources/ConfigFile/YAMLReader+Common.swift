import Foundation
import Yams

/// Settings that several hand-read configurations share (both connectors have them).
extension YAMLReader {
    /// `listen: {host, port}`; defaults 127.0.0.1 and 0 (system-chosen).
    public func listenAddress(_ members: [(key: String, value: Node)]) throws(ConfigFileError) -> (host: String, port: Int) {
        var host = "127.0.0.1"
        var port = 0
        if let listen = member("listen", of: members) {
            let listenMembers = try mapping(listen, "listen", allowed: ["host", "port"])
            if let node = member("host", of: listenMembers) { host = try string(node, "listen.host") }
            if let node = member("port", of: listenMembers) { port = try int(node, "listen.port", in: 0...65535) }
        }
        return (host, port)
    }

    /// A secret given either literally (`<name>: value`) or, better, through an environment
    /// variable (`<name>_env: VARIABLE`): exactly one of the two, and never empty.
    public func secret(
        _ name: String, of members: [(key: String, value: Node)], in parent: Node, environment: [String: String], purpose: String
    ) throws(ConfigFileError) -> String {
        switch (member(name, of: members), member("\(name)_env", of: members)) {
        case (let node?, nil):
            let value = try string(node, name)
            guard !value.isEmpty else { throw error(at: node, "\(name) is empty") }
            return value
        case (nil, let node?):
            let variable = try string(node, "\(name)_env")
            guard let value = environment[variable], !value.isEmpty else {
                throw error(at: node, "environment variable \(variable) (\(name)_env) is not set or empty")
            }
            return value
        case (_?, _?):
            throw error(at: parent, "give either \(name) or \(name)_env, not both")
        case (nil, nil):
            throw error(at: parent, "the configuration needs \(name)_env (an environment variable holding \(purpose)) or \(name)")
        }
    }

    /// An absolute http(s) URL, without a trailing slash (paths are appended to it).
    public func httpURL(_ node: Node, _ what: String) throws(ConfigFileError) -> String {
        let text = try string(node, what)
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw error(at: node, "\(what) must be an absolute http(s) URL, got \"\(text)\"")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
