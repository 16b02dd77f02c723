import Foundation
import PostgresNIO
import WSECore

/// Where a PostgreSQL store lives, parsed from `node.database`: `postgres://user[:password]@host[:port]/database`
/// (`postgresql://` too). Its `description` leaves the password out, so it can name the database in messages.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    /// True when `database` names a PostgreSQL server rather than a SQLite file.
    public static func isPostgres(_ database: String) -> Bool {
        database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
    }

    /// Parses `string`; every missing or unsupported part is a `StoreError` that names it.
    public init(_ string: String) throws(StoreError) {
        guard Self.isPostgres(string), let components = URLComponents(string: string) else {
            throw StoreError("\(string) is not a PostgreSQL URL; write postgres://user[:password]@host[:port]/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError("the PostgreSQL URL \(string) names no host; write postgres://user@host[:port]/database")
        }
        guard let username = components.user, !username.isEmpty else {
            throw StoreError("the PostgreSQL URL \(string) names no user; write postgres://user@\(host)/database")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError("the PostgreSQL URL \(string) names no database; write postgres://\(username)@\(host)/database")
        }
        guard components.queryItems?.isEmpty ?? true else {
            throw StoreError("the PostgreSQL URL \(string) has options (after '?'), which WSE does not support yet; remove them (docs/STORAGE.md)")
        }
        self.host = host
        port = components.port ?? 5432
        self.username = username
        password = components.password
        self.database = database
    }

    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    var clientConfiguration: PostgresClient.Configuration {
        PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: .disable)
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: .disable)
    }
}
