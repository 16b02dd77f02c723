import Foundation
import Storage
import Testing
import WSECore

@Suite struct CompositionStoreTests {
    @Test func versionsCountUpFromOnePerComposition() async throws {
        let store = try SQLiteStore.inMemory()
        let first = try await store.saveComposition(id: "eab", source: "1")
        let second = try await store.saveComposition(id: "eab", source: "2")
        let other = try await store.saveComposition(id: "other", source: "x")
        #expect(first.version == 1 && first.source == "1" && first.id == "eab")
        #expect(second.version == 2)
        #expect(other.version == 1)
        #expect(try await store.compositionVersions(id: "eab") == [1, 2])
    }

    @Test func newestVersionIsTheDefaultAndOlderOnesStayReadable() async throws {
        let store = try SQLiteStore.inMemory()
        let before = Date(timeIntervalSinceNow: -1)
        _ = try await store.saveComposition(id: "eab", source: "old")
        let saved = try await store.saveComposition(id: "eab", source: "new")
        let newest = try #require(try await store.composition(id: "eab", version: nil))
        #expect(newest == saved)
        #expect(newest.source == "new" && newest.version == 2)
        #expect(newest.createdAt >= before && newest.createdAt <= Date(timeIntervalSinceNow: 1))
        #expect(try await store.composition(id: "eab", version: 1)?.source == "old")
    }

    @Test func unknownCompositionOrVersionIsNil() async throws {
        let store = try SQLiteStore.inMemory()
        _ = try await store.saveComposition(id: "eab", source: "s")
        #expect(try await store.composition(id: "nope", version: nil) == nil)
        #expect(try await store.composition(id: "eab", version: 7) == nil)
        #expect(try await store.compositionVersions(id: "nope").isEmpty)
    }

    @Test func deleteRemovesEveryVersionAndNumberingStartsAgain() async throws {
        let store = try SQLiteStore.inMemory()
        _ = try await store.saveComposition(id: "eab", source: "1")
        _ = try await store.saveComposition(id: "eab", source: "2")
        _ = try await store.saveComposition(id: "kept", source: "k")
        #expect(try await store.deleteComposition(id: "eab"))
        #expect(try await store.compositionVersions(id: "eab").isEmpty)
        #expect(try await store.composition(id: "eab", version: nil) == nil)
        #expect(try await store.composition(id: "kept", version: nil)?.source == "k")
        #expect(try await store.saveComposition(id: "eab", source: "again").version == 1)
    }

    @Test func deletingAnUnknownCompositionSaysFalse() async throws {
        #expect(try await SQLiteStore.inMemory().deleteComposition(id: "nope") == false)
    }

    @Test func concurrentSavesGetDistinctVersions() async throws {
        let store = try SQLiteStore.inMemory()
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<20 { group.addTask { try await store.saveComposition(id: "busy", source: "\(n)").version } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(versions.sorted() == Array(1...20))
    }
}
