import Foundation
import Storage
import Testing
import WSECore

@Suite struct SQLiteStoreFileTests {
    @Test func fileDatabaseUsesWALAndKeepsDataAcrossReopen() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("wse.sqlite").path
            do {
                let store = try SQLiteStore(path: path)
                #expect(try await store.journalMode() == "wal")
                try await store.saveSecret("pem", named: "key")
                _ = try await store.saveComposition(id: "eab", source: "v1")
            }
            let reopened = try SQLiteStore(path: path)
            #expect(try await reopened.secret(named: "key") == "pem")
            #expect(try await reopened.compositionVersions(id: "eab") == [1])
        }
    }

    @Test func aNewDatabaseAndItsWALFilesAreReadableByTheOwnerOnly() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("wse.sqlite").path
            let store = try SQLiteStore(path: path)
            try await store.saveSecret("pem", named: "key")
            for file in [path, path + "-wal", path + "-shm"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file)")
            }
        }
    }

    /// A database made readable by others (by an older version, or a copy) is made private when opened, with its WAL files.
    @Test func anExistingDatabaseReadableByOthersIsMadePrivateWithItsWALFiles() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("wse.sqlite").path
            // The first store stays open, so that its WAL files exist while the second opens.
            let first = try SQLiteStore(path: path)
            try await first.saveSecret("pem", named: "key")
            let files = [path, path + "-wal", path + "-shm"]
            for file in files {
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
            }
            let second = try SQLiteStore(path: path)
            #expect(try await second.secret(named: "key") == "pem")
            for file in files {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file)")
            }
        }
    }

    @Test func theMemoryPathOpensAnInMemoryStoreAndCreatesNoFile() async throws {
        let store = try SQLiteStore(path: SQLiteStore.inMemoryPath)
        #expect(try await store.journalMode() == "memory")
        try await store.saveSecret("x", named: "k")
        #expect(try await store.secret(named: "k") == "x")
        #expect(!FileManager.default.fileExists(atPath: ":memory:"))
    }

    @Test func inMemoryStoresAreIndependent() async throws {
        let one = try SQLiteStore.inMemory()
        let two = try SQLiteStore.inMemory()
        try await one.saveSecret("x", named: "k")
        #expect(try await two.secret(named: "k") == nil)
    }

    @Test func missingDirectoryIsAClearError() async throws {
        let error = #expect(throws: StoreError.self) {
            try SQLiteStore(path: "/nonexistent-wse-dir/sub/wse.sqlite")
        }
        #expect(error?.description.contains("does not exist") == true)
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("garbage.sqlite").path
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
            #expect(error?.description.contains("not a valid WSE database") == true)
        }
    }

    @Test func aDirectoryInPlaceOfTheFileIsAClearError() async throws {
        try await withTemporaryDirectory { directory in
            let error = #expect(throws: StoreError.self) { try SQLiteStore(path: directory.path) }
            #expect(error?.description.contains(directory.path) == true)
        }
    }
}
