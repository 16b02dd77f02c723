import WSECore

/// Everything a node keeps: every store port together, as `SQLiteStore` and `PostgresStore` implement them,
/// with the feed of their changes. (`PostgresStore` also keeps the login counters: `LoginCounterStore`.)
public typealias NodeStore = SubscriberAdministration & ServiceStore & SecretStore & CompositionStore & SigningKeyStore & StoreChangeFeed
    & PartyStore & UsageStore
