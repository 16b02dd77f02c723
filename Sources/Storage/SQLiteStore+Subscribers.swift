import GRDB
import WSECore

extension SQLiteStore: SubscriberStore {
    public func subscriber(named username: String) async throws(StoreError) -> Subscriber? {
        try await read("read subscriber \"\(username)\"") { db in
            try SubscriberRecord.fetchOne(db, key: username)?.subscriber
        }
    }

    /// Creates the subscriber, or replaces the one with the same user name.
    public func save(_ subscriber: Subscriber) async throws(StoreError) {
        let record = SubscriberRecord(subscriber)
        try await write("save subscriber \"\(subscriber.username)\"", announcing: .subscriber(subscriber.username)) { db in
            try record.save(db)
        }
    }
}
