/// Port: where the mediator hands a usage record when a request or process is over. Called on the hot path:
/// an implementation must only queue the record (no await, no I/O), writing it to the store later in batches.
public protocol UsageRecording: Sendable {
    func record(_ usage: UsageRecord)
}

/// Port: the usage records kept in the store.
public protocol UsageStore: Sendable {
    /// Appends a batch, in one transaction.
    func appendUsage(_ records: [UsageRecord]) async throws(StoreError)
    /// The records matching `query`, newest first.
    func usage(matching query: UsageQuery) async throws(StoreError) -> [UsageRecord]
}
