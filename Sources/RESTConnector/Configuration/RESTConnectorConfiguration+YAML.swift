import ConfigFile
import ConnectorKit
import Foundation
import WSECore
import Yams

extension RESTConnectorConfiguration {
    /// Reads the YAML file at `path`. Every problem is reported with the file, line and column.
    public static func load(file path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> RESTConnectorConfiguration
    {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path, environment: environment)
    }

    /// Reads a YAML configuration; `file` names it in errors.
    public static func parse(yaml text: String, file: String = "<configuration>", environment: [String: String] = [:])
        throws(ConfigurationError) -> RESTConnectorConfiguration
    {
        try ConfigurationParser(reader: YAMLReader(file: file), environment: environment).configuration(text)
    }
}

/// Turns the YAML tree into a configuration, checking every value on the way.
private struct ConfigurationParser {
    let reader: YAMLReader
    let environment: [String: String]

    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    func configuration(_ text: String) throws(ConfigurationError) -> RESTConnectorConfiguration {
        let root = try reader.compose(text)
        let top = try reader.mapping(root, "the configuration", allowed: ["listen", "key", "key_env", "public_url", "services", "tls", "ca_file"])
        let (host, port) = try reader.listenAddress(top)
        let key = try reader.secret("key", of: top, in: root, environment: environment, purpose: "the connector key")
        var publicURL: String?
        if let node = reader.member("public_url", of: top) { publicURL = try reader.httpURL(node, "public_url") }

        let servicesNode = try reader.required("services", of: top, in: root, "the configuration")
        var services: [String: ServiceMapping] = [:]
        for (id, node) in try reader.mapping(servicesNode, "services") {
            services[id] = try service(node, id)
        }
        if services.isEmpty { throw reader.error(at: servicesNode, "services is empty: configure at least one service") }
        return RESTConnectorConfiguration(
            host: host, port: port, key: key, publicURL: publicURL, services: services,
            tls: try reader.listenerTLS(top), trustedCA: try reader.trustedCA(top))
    }

    private func service(_ node: Node, _ id: String) throws(ConfigurationError) -> ServiceMapping {
        let what = "service \(id)"
        let members = try reader.mapping(node, what, allowed: ["base_url", "timeout", "headers", "actions"])
        let baseURL = try reader.httpURL(try reader.required("base_url", of: members, in: node, what), "\(what) base_url")
        let timeout = try reader.member("timeout", of: members).map { n throws(ConfigurationError) in try reader.seconds(n, "\(what) timeout") } ?? 10
        let headers = try reader.member("headers", of: members).map { n throws(ConfigurationError) in
            try self.headers(n, "\(what) headers", allowed: ["user", "pid"])
        } ?? []
        let actionsNode = try reader.required("actions", of: members, in: node, what)
        var actions: [String: ActionMapping] = [:]
        for (name, actionNode) in try reader.mapping(actionsNode, "\(what) actions") {
            actions[name] = try action(actionNode, "action \(id).\(name)")
        }
        if actions.isEmpty { throw reader.error(at: actionsNode, "\(what) has no actions") }
        return ServiceMapping(baseURL: baseURL, timeout: timeout, headers: headers, actions: actions)
    }

    private func action(_ node: Node, _ what: String) throws(ConfigurationError) -> ActionMapping {
        let members = try reader.mapping(node, what, allowed: ["method", "url", "headers", "body", "response", "subscription"])
        let subscriptionNode = reader.member("subscription", of: members)
        let allowed: Set<String> = subscriptionNode == nil ? ["user", "pid", "data"] : ["user", "pid", "data", "notify_url"]
        let call = try self.call(node, members, what, allowed: allowed)
        var subscription: SubscriptionMapping?
        if let subscriptionNode {
            if let response = reader.member("response", of: members) {
                throw reader.error(at: response, "\(what): a subscription action answers 202; map its notifications under subscription.notification instead of response")
            }
            subscription = try self.subscription(subscriptionNode, "\(what) subscription")
        }
        let response = try reader.member("response", of: members).map { n throws(ConfigurationError) in try reader.responseMapping(n, "\(what) response") } ?? .whole
        return ActionMapping(call: call, response: response, subscription: subscription)
    }

    private func call(_ node: Node, _ members: [(key: String, value: Node)], _ what: String, allowed: Set<String>)
        throws(ConfigurationError) -> HTTPCallTemplate
    {
        var method = "GET"
        if let methodNode = reader.member("method", of: members) {
            method = try reader.string(methodNode, "\(what) method").uppercased()
            guard Self.methods.contains(method) else {
                throw reader.error(at: methodNode, "\(what) method must be one of \(Self.methods.joined(separator: ", "))")
            }
        }
        let urlNode = try reader.required("url", of: members, in: node, what)
        let url = try template(urlNode, "\(what) url", allowed: allowed)
        try requirePath(url, urlNode, "\(what) url")
        let headers = try reader.member("headers", of: members).map { n throws(ConfigurationError) in try self.headers(n, "\(what) headers", allowed: allowed) } ?? []
        let body = try reader.member("body", of: members).map { n throws(ConfigurationError) in try bodyTemplate(n, "\(what) body", allowed: allowed) }
        return HTTPCallTemplate(method: method, url: url, headers: headers, body: body)
    }

    private func subscription(_ node: Node, _ what: String) throws(ConfigurationError) -> SubscriptionMapping {
        let members = try reader.mapping(node, what, allowed: ["resource", "cancel", "notification"])
        let resourceNode = try reader.required("resource", of: members, in: node, what)
        let resourceText = try reader.string(resourceNode, "\(what) resource")
        let resource: SubscriptionMapping.ResourceLocation
        if resourceText.lowercased() == "header:location" {
            resource = .locationHeader
        } else if let pointer = JSONPointer(resourceText) {
            resource = .body(pointer)
        } else {
            throw reader.error(at: resourceNode, "\(what) resource must be a JSON pointer into the create answer (/…) or header:Location")
        }
        let cancelNode = try reader.required("cancel", of: members, in: node, what)
        let cancelMembers = try reader.mapping(cancelNode, "\(what) cancel", allowed: ["method", "url", "headers", "body"])
        let cancel = try call(cancelNode, cancelMembers, "\(what) cancel", allowed: ["user", "pid", "data", "resource"])
        let notification = try reader.responseMapping(try reader.required("notification", of: members, in: node, what), "\(what) notification")
        return SubscriptionMapping(resource: resource, cancel: cancel, notification: notification)
    }

    /// The origin of every upstream call is the service's base_url, never a placeholder's
    /// value: a URL is a path under it (so placeholders fill only path segments and query
    /// values). A cancel may be exactly `{resource}`, which is checked against the origin when used.
    private func requirePath(_ url: StringTemplate, _ node: Node, _ what: String) throws(ConfigurationError) {
        if url.singlePlaceholder == .resource { return }
        guard case .literal(let text)? = url.parts.first, text.hasPrefix("/") else {
            throw reader.error(
                at: node, "\(what) must be a path under base_url (starting with /), got \"\(node.scalar?.string ?? "")\": the origin of every call is base_url's")
        }
    }

    private func headers(_ node: Node, _ what: String, allowed: Set<String>) throws(ConfigurationError) -> [(name: String, value: StringTemplate)] {
        var out: [(name: String, value: StringTemplate)] = []
        for (name, value) in try reader.stringMap(node, what) {
            out.append((name, try template(value, "\(what) \(name)", allowed: allowed)))
        }
        return out
    }

    private func template(_ node: Node, _ what: String, allowed: Set<String>) throws(ConfigurationError) -> StringTemplate {
        try reader.template(node, what, allowed: allowed, environment: environment)
    }

    private func bodyTemplate(_ node: Node, _ what: String, allowed: Set<String>) throws(ConfigurationError) -> BodyTemplate {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                // The resolved YAML type of a plain scalar (Tag.Name is only public through its raw value).
                switch node.tag.description {
                case Tag.Name.int.rawValue, Tag.Name.float.rawValue: if let n = node.float { return .literal(.number(n)) }
                case Tag.Name.bool.rawValue: if let b = node.bool { return .literal(.bool(b)) }
                case Tag.Name.null.rawValue: return .literal(.null)
                default: break
                }
            }
            return .string(try template(node, what, allowed: allowed))
        case .sequence(let items):
            var out: [BodyTemplate] = []
            for item in items { out.append(try bodyTemplate(item, what, allowed: allowed)) }
            return .array(out)
        case .mapping:
            var out: [String: BodyTemplate] = [:]
            for (key, value) in try reader.mapping(node, what) { out[key] = try bodyTemplate(value, "\(what).\(key)", allowed: allowed) }
            return .object(out)
        case .alias:
            throw reader.error(at: node, "\(what): YAML aliases are not supported here")
        }
    }
}
