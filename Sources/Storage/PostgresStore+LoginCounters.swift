import Foundation
import PostgresNIO
import WSECore

extension PostgresStore: LoginCounterStore {
    /// Reads, changes and writes back the counters of a pair and its address in one transaction. Each row is
    /// made first if missing, then locked (`FOR UPDATE`), so concurrent logins on any node take turns; the
    /// pair is always locked before the address, so two logins never wait for each other in a circle.
    public func updateLoginCounters<Result: Sendable>(
        user: String, client: String?, _ change: @Sendable (inout LoginCounters) -> Result
    ) async throws(StoreError) -> Result {
        let pairClient = client ?? ""
        return try await access("update the login counters") {
            try await self.client.withTransaction(logger: logger) { connection in
                var counters = LoginCounters()
                _ = try await connection.query(
                    "INSERT INTO login_pair_failures (username, client, failures) VALUES (\(user), \(pairClient), 0) ON CONFLICT DO NOTHING",
                    logger: logger
                ).collect()
                let pair = try await connection.query(
                    "SELECT failures, last_update FROM login_pair_failures WHERE username = \(user) AND client = \(pairClient) FOR UPDATE",
                    logger: logger
                ).collect()
                if let row = pair.first { (counters.pairFailures, counters.pairLastUpdate) = try row.decode((Int, Date?).self) }
                if let client {
                    _ = try await connection.query(
                        "INSERT INTO login_address_budget (client, level) VALUES (\(client), 0) ON CONFLICT DO NOTHING", logger: logger
                    ).collect()
                    let address = try await connection.query(
                        "SELECT level, last_update FROM login_address_budget WHERE client = \(client) FOR UPDATE", logger: logger
                    ).collect()
                    if let row = address.first { (counters.addressLevel, counters.addressLastUpdate) = try row.decode((Double, Date?).self) }
                }
                let result = change(&counters)
                _ = try await connection.query(
                    counters.pairFailures > 0
                        ? """
                        UPDATE login_pair_failures SET failures = \(counters.pairFailures), last_update = \(counters.pairLastUpdate)
                        WHERE username = \(user) AND client = \(pairClient)
                        """
                        : "DELETE FROM login_pair_failures WHERE username = \(user) AND client = \(pairClient)",
                    logger: logger
                ).collect()
                if let client {
                    _ = try await connection.query(
                        counters.addressLevel > 0
                            ? """
                            UPDATE login_address_budget SET level = \(counters.addressLevel), last_update = \(counters.addressLastUpdate)
                            WHERE client = \(client)
                            """
                            : "DELETE FROM login_address_budget WHERE client = \(client)",
                        logger: logger
                    ).collect()
                }
                return result
            }
        }
    }

    public func forgetLoginCounters(updatedBefore cutoff: Date) async throws(StoreError) {
        try await access("forget old login counters") {
            try await rows("DELETE FROM login_pair_failures WHERE last_update < \(cutoff)")
            try await rows("DELETE FROM login_address_budget WHERE last_update < \(cutoff)")
        }
    }
}
