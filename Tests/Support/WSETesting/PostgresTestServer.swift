import Foundation
import LocalServers
import Logging
import PostgresNIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A throw-away PostgreSQL server (``LocalPostgres``) for the tests of a suite, stopped by its PID at the end.
/// Each test gets a database of its own from ``makeDatabase()``.
public final class PostgresTestServer: Sendable {
    /// The server of the running suite (see ``PostgresServerTrait``), or why it could not start.
    @TaskLocal public static var current: Result<PostgresTestServer, any Error>?

    public let server: LocalPostgres
    public var port: Int { server.port }
    public var pid: pid_t { server.pid }

    private init(server: LocalPostgres) {
        self.server = server
    }

    /// The running suite's server; throws (so the test fails) with what to install when it could not start.
    public static func require() throws -> PostgresTestServer {
        guard let current else { throw TestFailure("this test needs PostgreSQL: put it in a suite with the .postgresServer trait") }
        return try current.get()
    }

    /// The URL of `database` on this server.
    public func url(of database: String) -> String { server.url(of: database) }

    /// Creates an empty database and returns its name.
    public func makeDatabase() async throws -> String {
        let name = "wse_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await execute("CREATE DATABASE \(name)", in: "postgres")
        return name
    }

    /// Runs one statement as the superuser in `database`, behind the store's back (to damage or age a schema).
    @discardableResult
    public func execute(_ sql: String, in database: String) async throws -> [PostgresRow] {
        var logger = Logger(label: "wse-test-postgres")
        logger.logLevel = .warning
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: "127.0.0.1", port: port, username: "postgres", password: nil, database: database, tls: .disable),
            id: 1, logger: logger)
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Starts a ``LocalPostgres``; when it cannot start, the error says what to install.
    static func start() async throws -> PostgresTestServer {
        do {
            return PostgresTestServer(server: try await LocalPostgres.start())
        } catch {
            throw TestFailure("the PostgreSQL tests need a PostgreSQL server: \(error) (or run scripts/install-test-deps.sh)")
        }
    }

    /// Stops the server by its PID and removes its folder.
    func stop() async { await server.stop() }
}

/// Starts one ``PostgresTestServer`` around a whole suite and stops it after; when it cannot start,
/// the suite still runs and each PostgreSQL case fails with the reason (what to install).
public struct PostgresServerTrait: SuiteTrait, TestScoping {
    public init() {}

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server: Result<PostgresTestServer, any Error>
        do {
            server = .success(try await PostgresTestServer.start())
        } catch {
            server = .failure(error)
        }
        do {
            try await PostgresTestServer.$current.withValue(server) { try await function() }
        } catch {
            if case .success(let running) = server { await running.stop() }
            throw error
        }
        if case .success(let running) = server { await running.stop() }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// A real PostgreSQL server for the suite's tests (see ``PostgresTestServer``).
    public static var postgresServer: Self { Self() }
}
