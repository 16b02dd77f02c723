/// One change to state that nodes keep in memory, as the store reports it: what to read again.
public enum StoreChange: Sendable, Hashable {
    /// A service was created, replaced or deleted.
    case service(ServiceID)
    /// A composition got a new version, or was deleted.
    case composition(String)
    /// A subscriber was created or replaced.
    case subscriber(String)
    /// A signing key was added, retired or dropped.
    case signingKeys
    /// A secret (such as the admin token) was saved.
    case secret(String)
    /// A provider was created or replaced.
    case provider(String)
    /// A retailer was created or replaced (its origins and client id are in force at once).
    case retailer(String)
    /// Changes may have been missed (the store lost its connection and listens again): read everything again.
    case everything
}

/// Port: the changes made to a store, so that a node can refresh what it keeps in memory.
///
/// A shared store (PostgreSQL) reports the changes of every node, each once committed; an embedded one
/// (SQLite) reports the changes made through itself. Changes come in the order they were announced.
public protocol StoreChangeFeed: Sendable {
    /// The changes from now on, until the stream is dropped or the store closes. Each call is a new
    /// subscription; subscribe before reading the state the changes refresh, so that none falls in between.
    func changes() -> AsyncStream<StoreChange>
}
