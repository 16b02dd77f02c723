import Foundation
import GRDB
import WSECore

extension SQLiteStore: SigningKeyStore {
    /// Every stored key, oldest first.
    public func signingKeys() async throws(StoreError) -> [StoredSigningKey] {
        try await read("read the signing keys") { db in
            try SigningKeyRecord.order(Column("createdAt"), Column("kid")).fetchAll(db).map(\.storedSigningKey)
        }
    }

    /// Adds `key` unless its kid is stored; retires the keys that sign and deletes the dropped ones, in one transaction.
    public func addSigningKey(_ key: StoredSigningKey, retiring: KeyRetirement?) async throws(StoreError) {
        try await write("add a signing key", announcing: .signingKeys) { db in
            if let retiring {
                try SigningKeyRecord.filter(Column("retiredAt") == nil && Column("kid") != key.kid).updateAll(
                    db, Column("retiredAt").set(to: retiring.at.timeIntervalSince1970),
                    Column("verifiesUntil").set(to: retiring.verifiesUntil.timeIntervalSince1970))
                try SigningKeyRecord.filter(Column("verifiesUntil") <= retiring.at.timeIntervalSince1970).deleteAll(db)
            }
            try SigningKeyRecord(key).insert(db, onConflict: .ignore)
        }
    }
}
