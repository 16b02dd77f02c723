import Foundation
import PostgresNIO
import WSECore

extension PostgresStore: UsageStore {
    public func appendUsage(_ records: [UsageRecord]) async throws(StoreError) {
        try await access("record \(records.count) usage records") {
            try await client.withTransaction(logger: logger) { connection in
                for r in records {
                    _ = try await connection.query(
                        """
                        INSERT INTO usage (user_name, retailer, provider, service, action, pid, started_at, ended_at, outcome, events, bytes)
                        VALUES (\(r.user), \(r.retailer), \(r.provider), \(r.service), \(r.action), \(r.pid), \(r.start), \(r.end),
                            \(r.outcome), \(r.events), \(r.bytes))
                        """, logger: logger
                    ).collect()
                }
            }
        }
    }

    public func usage(matching q: UsageQuery) async throws(StoreError) -> [UsageRecord] {
        try await access("read the usage records") {
            try await rows(
                """
                SELECT user_name, retailer, provider, service, action, pid, started_at, ended_at, outcome, events, bytes FROM usage
                WHERE (\(q.user)::text IS NULL OR user_name = \(q.user)) AND (\(q.retailer)::text IS NULL OR retailer = \(q.retailer))
                    AND (\(q.provider)::text IS NULL OR provider = \(q.provider)) AND (\(q.service)::text IS NULL OR service = \(q.service))
                    AND (\(q.from)::timestamptz IS NULL OR started_at >= \(q.from)) AND (\(q.to)::timestamptz IS NULL OR started_at < \(q.to))
                ORDER BY started_at DESC, seq DESC LIMIT \(q.limit)
                """
            ).map { row in
                let (user, retailer, provider, service, action, pid, start, end, outcome, events, bytes) = try row.decode(
                    (String, String?, String?, String, String, String, Date, Date, String, Int, Int).self)
                return UsageRecord(
                    user: user, retailer: retailer, provider: provider, service: service, action: action, pid: pid, start: start, end: end,
                    outcome: outcome, events: events, bytes: bytes)
            }
        }
    }
}
