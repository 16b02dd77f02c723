import Foundation
import GRDB
import WSECore

extension SQLiteStore {
    /// Explains a database failure as a `StoreError` that says what went wrong and what to do.
    static func storeError(_ error: any Error, location: String, doing action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return StoreError("could not \(action) in \(location): \(error)")
        }
        let detail = error.message ?? "\(error.resultCode)"
        let advice: String
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            advice = "the database stayed locked by another connection or process past the busy timeout; retry, or stop the other writer"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            advice = "check that the file and its directory exist and are writable by this process"
        case .SQLITE_FULL:
            advice = "the disk is full; free space and retry"
        case .SQLITE_IOERR:
            advice = "the disk failed to read or write; check the file system"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            advice = "the file is not a valid WSE database; restore it from a backup or move it aside to start empty"
        case .SQLITE_CONSTRAINT:
            advice = "the data breaks a rule of the schema (this is a bug in WSE; please report it)"
        default:
            advice = "see the SQLite message above"
        }
        return StoreError("could not \(action) in \(location): \(detail); \(advice)")
    }
}
