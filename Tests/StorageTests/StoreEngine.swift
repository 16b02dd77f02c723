import Logging
import Storage
import Testing
import WSETesting
import WSECore

/// Every store port together: what both engines implement and the contract tests exercise.
typealias StoreUnderTest = SubscriberAdministration & ServiceStore & SecretStore & CompositionStore & SigningKeyStore & StoreChangeFeed
    & PartyStore & UsageStore

/// The two implementations of the store ports; the contract tests run once per engine.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty store of this engine (for PostgreSQL: a new database on the suite's server).
    func withStore(_ body: (any StoreUnderTest) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await body(SQLiteStore.inMemory())
        case .postgres:
            let server = try PostgresTestServer.require()
            let database = try await server.makeDatabase()
            try await PostgresStore.withStore(url: server.url(of: database), logger: .quietStore) { try await body($0) }
        }
    }
}

extension Logger {
    /// The stores' logger in tests: warnings and errors only.
    static var quietStore: Logger {
        var logger = Logger(label: "wse-store-test")
        logger.logLevel = .warning
        return logger
    }
}

/// The store contract: every test of the store ports, against SQLite and PostgreSQL. One PostgreSQL
/// server serves the whole suite (see ``PostgresServerTrait``).
@Suite(.postgresServer) struct StoreContractTests {}
