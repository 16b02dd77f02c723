import ConfigFile
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Storage
import WSECore

/// Process-level start-up shared by `wse serve` and `wse demo`: logging, metrics, the store,
/// and running services until SIGTERM/SIGINT.
public enum NodeRunner {
    /// The process-wide Prometheus registry behind `/metrics` (bootstrapped once per process).
    public static func bootstrapObservability(logLevel: Logger.Level) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    /// Reads a node configuration file; every problem comes back as `file:line:column: what is wrong`.
    public static func loadConfiguration(file: String) throws(ConfigFileError) -> NodeConfiguration {
        try ConfigFile.load(NodeConfiguration.self, from: file)
    }

    /// Opens the node's SQLite store (`:memory:` for none on disk).
    public static func openStore(_ path: String) throws(NodeStartupError) -> SQLiteStore {
        do {
            return path == ":memory:" ? try SQLiteStore.inMemory() : try SQLiteStore(path: path)
        } catch {
            throw NodeStartupError("cannot open the database \(path): \(error); check that its folder exists and is writable")
        }
    }

    /// Opens the store `database` names (a SQLite file, or `postgres://…`), runs `body` with it, then closes it.
    /// A store that cannot be opened (PostgreSQL down, a schema newer than this WSE) is a `NodeStartupError`
    /// naming the database; errors of `body` pass through unchanged.
    public static func withStore<Result>(
        _ database: String, logger: Logger, _ body: (any NodeStore) async throws -> Result
    ) async throws -> Result {
        guard PostgresURL.isPostgres(database) else { return try await body(openStore(database)) }
        var opened = false
        do {
            return try await PostgresStore.withStore(url: database, logger: logger.with(label: "storage")) { store in
                opened = true
                return try await body(store)
            }
        } catch let error as StoreError where !opened {
            throw NodeStartupError("cannot open the database: \(error)")
        }
    }

    /// `database` as messages may show it: a PostgreSQL URL loses its password.
    static func describe(database: String) -> String {
        (try? PostgresURL(database).description) ?? database
    }

    /// `wse serve`: one node from a configuration file, until SIGTERM or SIGINT (then 1001 to every session).
    public static func serve(configurationFile: String, logLevel: Logger.Level) async throws {
        let configuration = try loadConfiguration(file: configurationFile)
        let metrics = bootstrapObservability(logLevel: logLevel)
        let logger = Logger(label: "wse")
        try await withStore(configuration.node.database, logger: logger) { store in
            let node = try await WSENode.build(
                configuration: configuration, store: store, metrics: metrics, logger: logger,
                onServerRunning: { port in
                    say("WSE node serving on http://\(configuration.node.host):\(port) (WebSocket /wse)")
                        })
            if node.adminTokenIsNew {
                say("admin token (shown once, stored in \(describe(database: configuration.node.database))): \(node.adminToken)")
            }
            try await run(node.services, logger: logger)
        }
    }

    /// Runs services until a shutdown signal; they stop in reverse order.
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
