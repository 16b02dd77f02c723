import Foundation

/// A service in the registry (SPEC.md, Mediator).
public struct ServiceDefinition: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        /// Served by a service connector through connector OUT/IN.
        case basic
        /// An Orc composition run by the orchestrator.
        case composed
    }

    public var id: ServiceID
    public var kind: Kind
    /// Basic services: the connector's base URL (connector OUT posts to `<endpoint>/v1/requests`).
    public var endpoint: String?
    /// Basic services: the key shared with the connector, sent on OUT and expected on IN.
    public var connectorKey: String?
    /// Composed services: the composition id in the CSDR (defaults to the service id).
    public var composition: String?
    public var access: AccessRule
    /// Services tried in order when this one is over capacity or its circuit is open.
    public var alternatives: [ServiceID]
    /// Maximum calls in flight at once; nil means unlimited.
    public var capacity: Int?
    /// How long connector OUT waits for the connector's answer, in seconds.
    public var timeout: Double
    /// The provider on board that owns it (only that provider's key may change it); nil for the operator's own.
    public var provider: String?
    /// What the catalogue shows of it (title, description, terms, actions with their schemas).
    public var catalogue: ServiceDescription?

    public init(
        id: ServiceID, kind: Kind = .basic, endpoint: String? = nil, connectorKey: String? = nil,
        composition: String? = nil, access: AccessRule = .init(), alternatives: [ServiceID] = [],
        capacity: Int? = nil, timeout: Double = 10
    ) {
        self.id = id
        self.kind = kind
        self.endpoint = endpoint
        self.connectorKey = connectorKey
        self.composition = composition
        self.access = access
        self.alternatives = alternatives
        self.capacity = capacity
        self.timeout = timeout
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, endpoint, connectorKey, composition, access, alternatives, capacity, timeout, provider, catalogue
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(ServiceID.self, forKey: .id)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .basic
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        connectorKey = try c.decodeIfPresent(String.self, forKey: .connectorKey)
        composition = try c.decodeIfPresent(String.self, forKey: .composition)
        access = try c.decodeIfPresent(AccessRule.self, forKey: .access) ?? .init()
        alternatives = try c.decodeIfPresent([ServiceID].self, forKey: .alternatives) ?? []
        capacity = try c.decodeIfPresent(Int.self, forKey: .capacity)
        timeout = try c.decodeIfPresent(Double.self, forKey: .timeout) ?? 10
        provider = try c.decodeIfPresent(String.self, forKey: .provider)
        catalogue = try c.decodeIfPresent(ServiceDescription.self, forKey: .catalogue)
    }
}

/// Who may use a service. Empty lists admit everyone.
public struct AccessRule: Sendable, Codable, Hashable {
    /// The token must carry at least one of these roles.
    public var roles: [String]
    /// The session must come from one of these retailers.
    public var retailers: [String]
    /// Only these users.
    public var users: [UserName]

    public init(roles: [String] = [], retailers: [String] = [], users: [UserName] = []) {
        self.roles = roles
        self.retailers = retailers
        self.users = users
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        roles = try c.decodeIfPresent([String].self, forKey: .roles) ?? []
        retailers = try c.decodeIfPresent([String].self, forKey: .retailers) ?? []
        users = try c.decodeIfPresent([UserName].self, forKey: .users) ?? []
    }

    enum CodingKeys: String, CodingKey { case roles, retailers, users }

    /// Empty lists: everyone may use the service.
    public var admitsEveryone: Bool { roles.isEmpty && retailers.isEmpty && users.isEmpty }

    public func admits(_ principal: Principal) -> Bool {
        if !roles.isEmpty, principal.roles.isDisjoint(with: roles) { return false }
        if !retailers.isEmpty { guard let r = principal.retailer, retailers.contains(r) else { return false } }
        if !users.isEmpty, !users.contains(principal.user) { return false }
        return true
    }
}
