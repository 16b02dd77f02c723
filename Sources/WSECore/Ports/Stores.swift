import Foundation

/// A failure of the store itself (disk, database connection), not of the data asked for.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Port: subscribers of the identity proxy.
public protocol SubscriberStore: Sendable {
    func subscriber(named username: String) async throws(StoreError) -> Subscriber?
    func save(_ subscriber: Subscriber) async throws(StoreError)
}

/// Port: the service registry's persistent part.
public protocol ServiceStore: Sendable {
    func allServices() async throws(StoreError) -> [ServiceDefinition]
    func save(_ service: ServiceDefinition) async throws(StoreError)
    /// - Returns: false when there was no such service.
    func deleteService(id: ServiceID) async throws(StoreError) -> Bool
    /// Saves `service` for `provider` in one atomic step: creates it when no service has its id, replaces it when
    /// the stored one is that provider's, and leaves one of another provider or of the operator untouched.
    func save(_ service: ServiceDefinition, ownedBy provider: String) async throws(StoreError) -> OwnedServiceSave
}

/// What became of a provider's `ServiceStore.save(_:ownedBy:)`.
public enum OwnedServiceSave: Sendable, Equatable {
    case created
    case replaced
    /// The id belongs to another provider or to the operator: nothing was written.
    case ownedByAnother
}

/// Port: secrets the node keeps across restarts (the token signing key, the admin token).
public protocol SecretStore: Sendable {
    func secret(named name: String) async throws(StoreError) -> String?
    func saveSecret(_ value: String, named name: String) async throws(StoreError)
}

/// One stored version of a composition's Orc source.
public struct CompositionVersion: Sendable, Hashable {
    public var id: String
    public var version: Int
    public var source: String
    public var createdAt: Date

    public init(id: String, version: Int, source: String, createdAt: Date) {
        self.id = id
        self.version = version
        self.source = source
        self.createdAt = createdAt
    }
}

/// Port: the CSDR's storage (composed service definition repository), versioned.
public protocol CompositionStore: Sendable {
    /// Stores a new version and returns it.
    func saveComposition(id: String, source: String) async throws(StoreError) -> CompositionVersion
    /// The newest version, or a given one.
    func composition(id: String, version: Int?) async throws(StoreError) -> CompositionVersion?
    func compositionVersions(id: String) async throws(StoreError) -> [Int]
    /// Deletes every version. - Returns: false when there was none.
    func deleteComposition(id: String) async throws(StoreError) -> Bool
}

/// Port: managing subscribers (the admin API, `wse subscribers`), beside the identity proxy's lookups.
public protocol SubscriberAdministration: SubscriberStore {
    /// Every subscriber, ordered by user name.
    func allSubscribers() async throws(StoreError) -> [Subscriber]
    /// Creates the subscriber. - Returns: false, changing nothing, when one with that user name exists.
    func create(_ subscriber: Subscriber) async throws(StoreError) -> Bool
    /// - Returns: false when there was no such subscriber.
    func deleteSubscriber(named username: String) async throws(StoreError) -> Bool
}
