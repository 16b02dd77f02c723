import GRDB
import WSECore

extension SQLiteStore: SubscriberAdministration {
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

    public func allSubscribers() async throws(StoreError) -> [Subscriber] {
        try await read("read the subscribers") { db in
            try SubscriberRecord.order(Column("username")).fetchAll(db).map(\.subscriber)
        }
    }

    public func create(_ subscriber: Subscriber) async throws(StoreError) -> Bool {
        let record = SubscriberRecord(subscriber)
        let created = try await write("create subscriber \"\(subscriber.username)\"") { db in
            guard try !SubscriberRecord.exists(db, key: subscriber.username) else { return false }
            try record.insert(db)
            return true
        }
        if created { changeBroadcaster.publish(.subscriber(subscriber.username)) }
        return created
    }

    public func deleteSubscriber(named username: String) async throws(StoreError) -> Bool {
        try await write("delete subscriber \"\(username)\"", announcing: .subscriber(username)) { db in
            try SubscriberRecord.deleteOne(db, key: username)
        }
    }
}
