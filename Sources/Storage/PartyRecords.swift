import Foundation
import GRDB
import WSECore

/// A row of `provider` (SQLite). Times in seconds since 1970, UTC.
struct ProviderRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "provider"

    var id: String
    var name: String
    var keyHash: String
    var createdAt: Double

    init(_ provider: ProviderAccount) {
        id = provider.id
        name = provider.name
        keyHash = provider.keyHash
        createdAt = provider.createdAt.timeIntervalSince1970
    }

    var account: ProviderAccount {
        ProviderAccount(id: id, name: name, keyHash: keyHash, createdAt: Date(timeIntervalSince1970: createdAt))
    }
}

/// A row of `retailer` (SQLite); `origins` is kept as a JSON array.
struct RetailerRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "retailer"

    var id: String
    var name: String
    var origins: [String]
    var clientID: String

    init(_ retailer: RetailerAccount) {
        id = retailer.id
        name = retailer.name
        origins = retailer.origins
        clientID = retailer.clientID
    }

    var account: RetailerAccount { RetailerAccount(id: id, name: name, origins: origins, clientID: clientID) }
}

/// A row of `audit` (SQLite): `seq` orders the entries as they were written.
struct AuditRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "audit"

    var seq: Int64?
    var at: Double
    var actor: String
    var action: String
    var target: String
    var detail: String

    init(_ entry: AuditEntry) {
        at = entry.at.timeIntervalSince1970
        actor = entry.actor
        action = entry.action
        target = entry.target
        detail = entry.detail
    }

    var entry: AuditEntry {
        AuditEntry(at: Date(timeIntervalSince1970: at), actor: actor, action: action, target: target, detail: detail)
    }
}
