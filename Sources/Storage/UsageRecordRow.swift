import Foundation
import GRDB
import WSECore

/// A row of `usage` (SQLite). Times in seconds since 1970, UTC.
struct UsageRecordRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "usage"

    var seq: Int64?
    var user: String
    var retailer: String?
    var provider: String?
    var service: String
    var action: String
    var pid: String
    var start: Double
    var end: Double
    var outcome: String
    var events: Int
    var bytes: Int

    init(_ record: UsageRecord) {
        user = record.user
        retailer = record.retailer
        provider = record.provider
        service = record.service
        action = record.action
        pid = record.pid
        start = record.start.timeIntervalSince1970
        end = record.end.timeIntervalSince1970
        outcome = record.outcome
        events = record.events
        bytes = record.bytes
    }

    var record: UsageRecord {
        UsageRecord(
            user: user, retailer: retailer, provider: provider, service: service, action: action, pid: pid,
            start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: end), outcome: outcome, events: events, bytes: bytes)
    }
}
