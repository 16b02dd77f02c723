import ConnectorKit
import Foundation

/// Everything the REST connector needs: where it listens, its key, and for each WSE
/// service the HTTP calls its actions map to. Usually read from YAML
/// (`RESTConnectorConfiguration.load(file:)`; format in docs/REST-CONNECTOR.md).
public struct RESTConnectorConfiguration: Sendable {
    /// The address to bind; loopback unless the node runs on another machine.
    public var host: String
    /// The port; 0 lets the system choose.
    public var port: Int
    /// The key shared with the WSE node: expected on connector OUT, sent on connector IN.
    public var key: String
    /// The base URL upstream services use to reach this connector's `/notify/{pid}`;
    /// nil means `http(s)://<host>:<bound port>`.
    public var publicURL: String?
    /// Serve HTTPS only, with this certificate and key (`tls`); nil: plain HTTP.
    public var tls: ListenerTLS?
    /// Certificates trusted, besides the system's, for https upstreams and connector IN (`ca_file`).
    public var trustedCA: TrustedCA?
    /// Keyed by WSE service id.
    public var services: [String: ServiceMapping]
    /// The clock of the services' `timeout` (not read from YAML); tests drive one by hand.
    public var clock: any Clock<Duration>

    public init(
        host: String = "127.0.0.1", port: Int = 0, key: String, publicURL: String? = nil, services: [String: ServiceMapping],
        clock: any Clock<Duration> = ContinuousClock(), tls: ListenerTLS? = nil, trustedCA: TrustedCA? = nil
    ) {
        self.tls = tls
        self.trustedCA = trustedCA
        self.host = host
        self.port = port
        self.key = key
        self.publicURL = publicURL
        self.services = services
        self.clock = clock
    }

    /// The action `action` of `service`, or nil.
    func action(_ action: String, of service: String) -> (service: ServiceMapping, action: ActionMapping)? {
        guard let mapping = services[service], let found = mapping.actions[action] else { return nil }
        return (mapping, found)
    }

    /// `service.action` for every configured action, sorted; used in error messages.
    var knownActions: [String] {
        services.flatMap { id, mapping in mapping.actions.keys.map { "\(id).\($0)" } }.sorted()
    }
}

/// How one WSE service maps to one upstream Web API.
public struct ServiceMapping: Sendable {
    /// Prefixed to every action URL that is not absolute. The demo wiring sets it at run time.
    public var baseURL: String
    /// How long one upstream call may take, in seconds (then 504).
    public var timeout: Double
    var headers: [(name: String, value: StringTemplate)]
    var actions: [String: ActionMapping]
}

/// One action: the HTTP call it makes and how the answer becomes WSE `data`.
struct ActionMapping: Sendable {
    var call: HTTPCallTemplate
    /// Applied to the upstream body of a synchronous action.
    var response: ResponseMapping
    /// Set for actions that create an upstream subscription (answered 202, data through connector IN).
    var subscription: SubscriptionMapping?

    /// The `data` fields the call needs.
    var requiredFields: [Placeholder] { Array(Set(call.dataFields)).sorted { $0.name < $1.name } }
}

/// An HTTP request with placeholders.
struct HTTPCallTemplate: Sendable {
    var method: String
    var url: StringTemplate
    var headers: [(name: String, value: StringTemplate)]
    var body: BodyTemplate?

    var dataFields: [Placeholder] {
        url.dataFields + headers.flatMap(\.value.dataFields) + (body?.dataFields ?? [])
    }
}

/// How an upstream subscription is found again, cancelled, and how its notifications map.
struct SubscriptionMapping: Sendable {
    /// Where the created subscription's URL is: a JSON pointer into the create answer, or the `Location` header.
    enum ResourceLocation: Sendable, Hashable {
        case body(JSONPointer)
        case locationHeader
    }

    var resource: ResourceLocation
    /// The call that ends the upstream subscription (`{resource}` is its URL).
    var cancel: HTTPCallTemplate
    /// Applied to every notification body the upstream posts to `/notify/{pid}`.
    var notification: ResponseMapping
}
