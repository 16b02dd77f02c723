import Foundation
import PostgresNIO
import WSECore

extension PostgresStore: CompositionStore {
    /// Stores `source` as the next version of `id` (1 for a new id). Versions of a deleted id start again at 1.
    /// The upsert on `composition_head` hands out the number, so concurrent saves (from any node) never collide.
    public func saveComposition(id: String, source: String) async throws(StoreError) -> CompositionVersion {
        try await access("save composition \"\(id)\"") {
            let saved = try await rows(
                """
                WITH next AS (
                    INSERT INTO composition_head (id, last_version) VALUES (\(id), 1)
                    ON CONFLICT (id) DO UPDATE SET last_version = composition_head.last_version + 1
                    RETURNING last_version)
                INSERT INTO composition (id, version, source) SELECT \(id), last_version, \(source) FROM next
                RETURNING version, created_at
                """, announcing: .composition(id))
            guard let (version, createdAt) = try saved.first?.decode((Int, Date).self) else {
                throw StoreError("PostgreSQL stored composition \"\(id)\" but returned no version (this is a bug in WSE; please report it)")
            }
            return CompositionVersion(id: id, version: version, source: source, createdAt: createdAt)
        }
    }

    /// The newest version when `version` is nil, else that version; nil when there is none.
    public func composition(id: String, version: Int?) async throws(StoreError) -> CompositionVersion? {
        try await access("read composition \"\(id)\"") {
            let found = if let version {
                try await rows("SELECT version, source, created_at FROM composition WHERE id = \(id) AND version = \(version)")
            } else {
                try await rows("SELECT version, source, created_at FROM composition WHERE id = \(id) ORDER BY version DESC LIMIT 1")
            }
            guard let row = found.first else { return nil }
            let (version, source, createdAt) = try row.decode((Int, String, Date).self)
            return CompositionVersion(id: id, version: version, source: source, createdAt: createdAt)
        }
    }

    /// The stored version numbers of `id`, oldest first; empty when there is none.
    public func compositionVersions(id: String) async throws(StoreError) -> [Int] {
        try await access("list versions of composition \"\(id)\"") {
            try await rows("SELECT version FROM composition WHERE id = \(id) ORDER BY version").map { try $0.decode(Int.self) }
        }
    }

    public func deleteComposition(id: String) async throws(StoreError) -> Bool {
        try await access("delete composition \"\(id)\"") {
            let deleted = try await rows(
                """
                WITH head AS (DELETE FROM composition_head WHERE id = \(id)),
                     gone AS (DELETE FROM composition WHERE id = \(id) RETURNING 1)
                SELECT COUNT(*) FROM gone
                """, announcing: .composition(id))
            return try deleted.first?.decode(Int.self) ?? 0 > 0
        }
    }
}
