import AsyncHTTPClient
import ConfigFile
import ConnectorKit
import Foundation
import Yams

extension SOAPConnectorConfiguration {
    /// Reads the YAML file at `path` and every WSDL it names (files relative to its folder, or
    /// URLs fetched with `httpClient`), and checks each action's operation against its WSDL.
    /// Every problem is reported with the file, line and column.
    public static func load(
        file path: String, environment: [String: String] = ProcessInfo.processInfo.environment, httpClient: HTTPClient? = nil
    ) async throws(ConfigFileError) -> SOAPConnectorConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigFileError(file: path, message: "cannot read the file (\(error.localizedDescription)); check the path given to --config")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try await parse(yaml: text, file: path, environment: environment, folder: folder, httpClient: httpClient)
    }

    /// Reads a YAML configuration; `file` names it in errors, `folder` is where relative WSDL paths start.
    public static func parse(
        yaml text: String, file: String = "<configuration>", environment: [String: String] = [:], folder: URL? = nil, httpClient: HTTPClient? = nil
    ) async throws(ConfigFileError) -> SOAPConnectorConfiguration {
        let parser = ConfigurationParser(
            reader: YAMLReader(file: file), environment: environment, folder: folder, httpClient: httpClient ?? UpstreamExchange.defaultHTTPClient)
        return try await parser.configuration(text)
    }
}

/// Turns the YAML tree into a configuration, checking every value on the way and every
/// operation against the service's WSDL.
private struct ConfigurationParser {
    let reader: YAMLReader
    let environment: [String: String]
    let folder: URL?
    let httpClient: HTTPClient

    /// Placeholders a request body may use.
    static let placeholders: Set<String> = ["user", "pid", "data"]

    func configuration(_ text: String) async throws(ConfigFileError) -> SOAPConnectorConfiguration {
        let root = try reader.compose(text)
        let top = try reader.mapping(root, "the configuration", allowed: ["listen", "key", "key_env", "services", "tls"])
        let (host, port) = try reader.listenAddress(top)
        let key = try reader.secret("key", of: top, in: root, environment: environment, purpose: "the connector key")
        let servicesNode = try reader.required("services", of: top, in: root, "the configuration")
        var services: [String: SOAPServiceMapping] = [:]
        for (id, node) in try reader.mapping(servicesNode, "services") {
            services[id] = try await service(node, id)
        }
        if services.isEmpty { throw reader.error(at: servicesNode, "services is empty: configure at least one service") }
        var configuration = SOAPConnectorConfiguration(host: host, port: port, key: key, services: services)
        configuration.tls = try reader.listenerTLS(top)
        return configuration
    }

    private func service(_ node: Node, _ id: String) async throws(ConfigFileError) -> SOAPServiceMapping {
        let what = "service \(id)"
        let members = try reader.mapping(
            node, what, allowed: ["wsdl", "endpoint", "port", "soap", "timeout", "max_response_bytes", "security", "actions"])
        let timeout = try reader.member("timeout", of: members).map { n throws(ConfigFileError) in try reader.seconds(n, "\(what) timeout") } ?? 10
        let maxResponseBytes = try reader.member("max_response_bytes", of: members).map { n throws(ConfigFileError) in
            try reader.int(n, "\(what) max_response_bytes", in: 1024...(64 << 20))
        } ?? (1 << 20)
        let security = try reader.member("security", of: members).map { n throws(ConfigFileError) in try self.security(n, "\(what) security") }
        let wsdlNode = try reader.required("wsdl", of: members, in: node, what)
        // A template with no placeholders but {env.NAME}: filled now, so it is plain text.
        let location = try reader.template(wsdlNode, "\(what) wsdl", allowed: [], environment: environment).literalText ?? ""
        let wsdl: WSDLDescription
        do {
            wsdl = try WSDLDescription(parsing: try await WSDLSource.load(location, relativeTo: folder, httpClient: httpClient, timeout: timeout))
        } catch let error as ConnectorError {
            throw reader.error(at: wsdlNode, "\(what): cannot read the WSDL \(location): \(error.message)")
        } catch {
            throw reader.error(at: wsdlNode, "\(what): the WSDL \(location) cannot be used: \(error)")
        }
        let port = try self.port(of: wsdl, members, wsdlNode, what)
        let endpoint: String
        if let endpointNode = reader.member("endpoint", of: members) {
            endpoint = try reader.httpURL(endpointNode, "\(what) endpoint")
        } else if let address = port.address, let url = URL(string: address), ["http", "https"].contains(url.scheme?.lowercased() ?? "") {
            endpoint = address
        } else {
            throw reader.error(at: node, "\(what): the WSDL's port \(port.name) has no http(s) soap:address; give endpoint")
        }
        let actionsNode = try reader.required("actions", of: members, in: node, what)
        var actions: [String: SOAPActionMapping] = [:]
        for (name, actionNode) in try reader.mapping(actionsNode, "\(what) actions") {
            actions[name] = try action(actionNode, "action \(id).\(name)", port: port, location: location)
        }
        if actions.isEmpty { throw reader.error(at: actionsNode, "\(what) has no actions") }
        return SOAPServiceMapping(
            endpoint: endpoint, timeout: timeout, maxResponseBytes: maxResponseBytes, version: port.version, security: security,
            actions: actions, shapes: wsdl.shapes)
    }

    /// The port named by `port`, else the first of the SOAP version `soap` asks for, else the first SOAP port.
    private func port(of wsdl: WSDLDescription, _ members: [(key: String, value: Node)], _ wsdlNode: Node, _ what: String)
        throws(ConfigFileError) -> WSDLDescription.Port
    {
        var candidates = wsdl.ports
        var place = wsdlNode
        if let portNode = reader.member("port", of: members) {
            let name = try reader.string(portNode, "\(what) port")
            candidates = candidates.filter { $0.name == name }
            place = portNode
        }
        if let soapNode = reader.member("soap", of: members) {
            let text = try reader.string(soapNode, "\(what) soap")
            guard let version = SOAPVersion(rawValue: text) else { throw reader.error(at: soapNode, "\(what) soap must be \"1.1\" or \"1.2\"") }
            candidates = candidates.filter { $0.version == version }
            place = soapNode
        }
        guard let port = candidates.first else {
            let known = wsdl.ports.map { "\($0.name) (SOAP \($0.version.rawValue))" }.joined(separator: ", ")
            throw reader.error(at: place, "\(what): the WSDL has no such port; it has: \(known)")
        }
        return port
    }

    private func action(_ node: Node, _ what: String, port: WSDLDescription.Port, location: String) throws(ConfigFileError) -> SOAPActionMapping {
        let members = try reader.mapping(node, what, allowed: ["operation", "body", "response"])
        let operationNode = try reader.required("operation", of: members, in: node, what)
        let name = try reader.string(operationNode, "\(what) operation")
        guard let operation = port.operations[name] else {
            throw reader.error(
                at: operationNode,
                "\(what): the WSDL \(location) has no operation \"\(name)\" in port \(port.name); it has: \(port.operations.keys.sorted().joined(separator: ", "))")
        }
        var body: [(name: String, content: ElementContent)] = []
        if let bodyNode = reader.member("body", of: members) {
            guard case .children(let children) = try content(bodyNode, "\(what) body") else {
                throw reader.error(at: bodyNode, "\(what) body must be a mapping: the children of the \(operation.requestElement.local) element")
            }
            body = children
        }
        let response = try reader.member("response", of: members).map { n throws(ConfigFileError) in try reader.responseMapping(n, "\(what) response") } ?? .whole
        return SOAPActionMapping(operation: operation, body: body, response: response)
    }

    private func content(_ node: Node, _ what: String) throws(ConfigFileError) -> ElementContent {
        switch node {
        case .scalar:
            return .text(try reader.template(node, what, allowed: Self.placeholders, environment: environment))
        case .sequence(let items):
            var out: [ElementContent] = []
            for item in items { out.append(try content(item, what)) }
            return .list(out)
        case .mapping:
            var children: [(name: String, content: ElementContent)] = []
            for (name, value) in try reader.mapping(node, what) {
                guard Self.isElementName(name) else {
                    throw reader.error(at: value, "\(what): \"\(name)\" is not an XML element name (letters, digits, _ - ., no prefix)")
                }
                children.append((name, try content(value, "\(what).\(name)")))
            }
            return .children(children)
        case .alias:
            throw reader.error(at: node, "\(what): YAML aliases are not supported here")
        }
    }

    /// An XML NCName in ASCII terms: a letter or _ first, then letters, digits, _, - or .
    private static func isElementName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
    }

    private func security(_ node: Node, _ what: String) throws(ConfigFileError) -> UsernameToken {
        let members = try reader.mapping(node, what, allowed: ["username", "username_env", "password", "password_env", "digest"])
        let username = try reader.secret("username", of: members, in: node, environment: environment, purpose: "the WS-Security user name")
        let password = try reader.secret("password", of: members, in: node, environment: environment, purpose: "the WS-Security password")
        var digest = false
        if let digestNode = reader.member("digest", of: members) {
            guard let value = digestNode.bool else { throw reader.error(at: digestNode, "\(what) digest must be true or false") }
            digest = value
        }
        return UsernameToken(username: username, password: password, digest: digest)
    }
}
