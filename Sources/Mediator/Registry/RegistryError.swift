import WSECore

/// Why the service registry refused a change (the admin API maps each case to a status, docs/MEDIATOR.md).
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The definition breaks a rule (id syntax, missing endpoint or key, unknown or cyclic alternatives…): 422.
    case invalid(String)
    /// No service with that id: 404.
    case notFound(ServiceID)
    /// Another service names this one as an alternative, so it cannot be deleted: 409.
    case inUse(String)
    /// The store failed; nothing was changed: 500.
    case store(String)
    /// A provider's change to a service of another provider or of the operator: 403.
    case notOwned(ServiceID)

    public var description: String {
        switch self {
        case .invalid(let why): "invalid service definition: \(why)"
        case .notFound(let id): "no service named \"\(id)\""
        case .inUse(let why): why
        case .store(let why): "service store failed: \(why)"
        case .notOwned(let id): "service \"\(id)\" belongs to another provider or to the operator"
        }
    }
}
