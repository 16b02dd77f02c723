import WSECore

/// Everything a node keeps: every store port together, as `SQLiteStore` and `PostgresStore` implement them.
public typealias NodeStore = SubscriberStore & ServiceStore & SecretStore & CompositionStore
