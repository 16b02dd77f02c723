import ConnectorKit

/// Everything the SOAP connector needs: where it listens, its key, and for each WSE service
/// the WSDL operations its actions map to, already checked against the WSDL. Read from YAML
/// with `SOAPConnectorConfiguration.load(file:)` (format in docs/SOAP-CONNECTOR.md).
public struct SOAPConnectorConfiguration: Sendable {
    /// The address to bind; loopback unless the node runs on another machine.
    public var host: String
    /// The port; 0 lets the system choose.
    public var port: Int
    /// The key shared with the WSE node, expected on connector OUT.
    public var key: String
    /// Serve HTTPS only, with this certificate and key (`tls`); nil: plain HTTP.
    public var tls: ListenerTLS?
    /// Keyed by WSE service id.
    public var services: [String: SOAPServiceMapping]
    /// The clock of the services' `timeout` (not read from YAML); tests drive one by hand.
    public var clock: any Clock<Duration>

    init(host: String, port: Int, key: String, services: [String: SOAPServiceMapping], clock: any Clock<Duration> = ContinuousClock()) {
        self.host = host
        self.port = port
        self.key = key
        self.services = services
        self.clock = clock
    }

    /// `service.action` for every configured action, sorted; used in error messages.
    var knownActions: [String] {
        services.flatMap { id, mapping in mapping.actions.keys.map { "\(id).\($0)" } }.sorted()
    }
}

/// How one WSE service maps to the operations of one SOAP port.
public struct SOAPServiceMapping: Sendable {
    /// Where requests go: the WSDL port's address unless the configuration names one.
    public var endpoint: String
    /// How long one upstream call may take, in seconds (then 504).
    public var timeout: Double
    /// Answers larger than this are refused (502).
    public var maxResponseBytes: Int
    var version: SOAPVersion
    var security: UsernameToken?
    var actions: [String: SOAPActionMapping]
    /// From the WSDL's schemas: which answer elements are lists.
    var shapes: SchemaShapes
}

/// One action: the operation it calls, the request element's children, and how the answer maps to `data`.
struct SOAPActionMapping: Sendable {
    var operation: WSDLDescription.Operation
    var body: [(name: String, content: ElementContent)]
    var response: ResponseMapping

    /// The `data` fields the request needs, checked before any upstream call.
    var requiredFields: [Placeholder] {
        Array(Set(body.flatMap(\.content.dataFields))).sorted { $0.name < $1.name }
    }
}
