import GRDB
import WSECore

extension SQLiteStore: UsageStore {
    public func appendUsage(_ records: [UsageRecord]) async throws(StoreError) {
        let rows = records.map(UsageRecordRow.init)
        try await write("record \(rows.count) usage records") { db in
            for row in rows { try row.insert(db) }
        }
    }

    public func usage(matching query: UsageQuery) async throws(StoreError) -> [UsageRecord] {
        try await read("read the usage records") { db in
            var request = UsageRecordRow.all()
            if let user = query.user { request = request.filter(Column("user") == user) }
            if let retailer = query.retailer { request = request.filter(Column("retailer") == retailer) }
            if let provider = query.provider { request = request.filter(Column("provider") == provider) }
            if let service = query.service { request = request.filter(Column("service") == service) }
            if let from = query.from { request = request.filter(Column("start") >= from.timeIntervalSince1970) }
            if let to = query.to { request = request.filter(Column("start") < to.timeIntervalSince1970) }
            return try request.order(Column("start").desc, Column("seq").desc).limit(query.limit).fetchAll(db).map(\.record)
        }
    }
}
