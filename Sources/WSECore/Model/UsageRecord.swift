import Foundation

/// What one request or process used, for the broker's billing (PROTOCOL.md 1.1, `GET /admin/v1/usage`).
public struct UsageRecord: Sendable, Hashable, Codable {
    public var user: String
    /// The retailer whose page made the call (the session's), when known.
    public var retailer: String?
    /// The provider on board owning the serving service; nil for the operator's own.
    public var provider: String?
    /// The service the caller named.
    public var service: String
    public var action: String
    /// Empty for a call refused before it became a process.
    public var pid: String
    public var start: Date
    public var end: Date
    /// `done`, `answered` (a synchronous answer), `cancelled`, `error:<code>` (after admission) or `refused:<code>`.
    public var outcome: String
    /// Events delivered to the owner.
    public var events: Int
    /// Bytes of the events' and answer's `data`, as JSON.
    public var bytes: Int

    public init(
        user: String, retailer: String?, provider: String?, service: String, action: String, pid: String, start: Date, end: Date,
        outcome: String, events: Int, bytes: Int
    ) {
        self.user = user
        self.retailer = retailer
        self.provider = provider
        self.service = service
        self.action = action
        self.pid = pid
        self.start = start
        self.end = end
        self.outcome = outcome
        self.events = events
        self.bytes = bytes
    }
}

/// Which usage records to read: every field that is set must match; `from`/`to` bound `start` (from inclusive, to exclusive).
public struct UsageQuery: Sendable, Hashable {
    public var user: String?
    public var retailer: String?
    public var provider: String?
    public var service: String?
    public var from: Date?
    public var to: Date?
    /// At most this many records, the newest first.
    public var limit: Int

    public init(
        user: String? = nil, retailer: String? = nil, provider: String? = nil, service: String? = nil, from: Date? = nil, to: Date? = nil,
        limit: Int = 10_000
    ) {
        self.user = user
        self.retailer = retailer
        self.provider = provider
        self.service = service
        self.from = from
        self.to = to
        self.limit = limit
    }
}
