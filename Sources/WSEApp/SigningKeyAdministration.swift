import Foundation
import IdentityProxy
import Logging
import Storage
import WSECore

/// `wse keys list` and `wse keys rotate`: the identity proxy's signing keys in the store of a node
/// (a SQLite file or a PostgreSQL database), through `SigningKeyRing`.
public enum SigningKeyAdministration {
    /// Where the keys live and how long the tokens they sign last.
    public struct Target: Sendable {
        public var database: String
        public var tokenLifetime: Duration

        public init(database: String, tokenLifetime: Duration) {
            self.database = database
            self.tokenLifetime = tokenLifetime
        }

        /// The database and token lifetime of a node's configuration file.
        public init(configurationFile: String) throws {
            let configuration = try NodeRunner.loadConfiguration(file: configurationFile)
            self.init(database: configuration.node.database, tokenLifetime: .seconds(configuration.identity.tokenLifetime))
        }
    }

    /// The stored keys as a table (id, creation, retirement, end of verification, state); never a private key.
    public static func list(_ target: Target, now: Date = Date(), logger: Logger) async throws -> String {
        let keys = try await NodeRunner.withStore(target.database, logger: logger) { store in
            try await SigningKeyRing.list(in: store, now: now)
        }
        return table(keys, now: now)
    }

    /// Adds a key that signs from now on; the previous one verifies for the token lifetime more.
    public static func rotate(_ target: Target, now: Date = Date(), logger: Logger) async throws -> SigningKeyRing.KeyInfo {
        try await NodeRunner.withStore(target.database, logger: logger) { store in
            try await SigningKeyRing.rotate(in: store, tokenLifetime: target.tokenLifetime, now: now)
        }
    }

    /// What `wse keys rotate` tells the operator about `key`.
    public static func describeRotation(of key: SigningKeyRing.KeyInfo, _ target: Target) -> String {
        let now = key.createdAt
        let pickedUp =
            PostgresURL.isPostgres(target.database)
            ? "every running node signs with it within a second (LISTEN/NOTIFY)"
            : "a node on this SQLite file signs with it from its next start"
        return """
            new signing key \(key.kid); \(pickedUp).
            The previous key still verifies the tokens it signed until \(Self.format(now.addingTimeInterval(TimeInterval(target.tokenLifetime.components.seconds)))) (the token lifetime), then it is dropped.
            """
    }

    static func table(_ keys: [SigningKeyRing.KeyInfo], now: Date) -> String {
        let signing = keys.filter { $0.retiredAt == nil }.max { $0.createdAt < $1.createdAt }?.kid
        let header = ["KID", "CREATED", "RETIRED", "VERIFIES UNTIL", "STATE"]
        let rows = keys.map { key in
            let verifies = key.retiredAt == nil || key.verifiesUntil.map { $0 > now } ?? false
            let state = key.kid == signing ? "signing" : verifies ? "verifying" : "dropped"
            return [key.kid, format(key.createdAt), key.retiredAt.map(format) ?? "-", key.verifiesUntil.map(format) ?? "-", state]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
