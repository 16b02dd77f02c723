import Foundation
import GRDB
import WSECore

extension SQLiteStore: CompositionStore {
    /// Stores `source` as the next version of `id` (1 for a new id). Versions of a deleted id start again at 1.
    public func saveComposition(id: String, source: String) async throws(StoreError) -> CompositionVersion {
        try await write("save composition \"\(id)\"", announcing: .composition(id)) { db in
            let newest = try Int.fetchOne(
                db, sql: "SELECT MAX(version) FROM \(CompositionRecord.databaseTableName) WHERE id = ?", arguments: [id])
            let record = CompositionRecord(id: id, version: (newest ?? 0) + 1, source: source, createdAt: Date())
            try record.insert(db)
            return record.compositionVersion
        }
    }

    /// The newest version when `version` is nil, else that version; nil when there is none.
    public func composition(id: String, version: Int?) async throws(StoreError) -> CompositionVersion? {
        try await read("read composition \"\(id)\"") { db in
            let versions = CompositionRecord.filter(Column("id") == id)
            let record = if let version {
                try versions.filter(Column("version") == version).fetchOne(db)
            } else {
                try versions.order(Column("version").desc).fetchOne(db)
            }
            return record?.compositionVersion
        }
    }

    /// The stored version numbers of `id`, oldest first; empty when there is none.
    public func compositionVersions(id: String) async throws(StoreError) -> [Int] {
        try await read("list versions of composition \"\(id)\"") { db in
            try Int.fetchAll(
                db, sql: "SELECT version FROM \(CompositionRecord.databaseTableName) WHERE id = ? ORDER BY version",
                arguments: [id])
        }
    }

    public func deleteComposition(id: String) async throws(StoreError) -> Bool {
        try await write("delete composition \"\(id)\"", announcing: .composition(id)) { db in
            try CompositionRecord.filter(Column("id") == id).deleteAll(db) > 0
        }
    }
}
