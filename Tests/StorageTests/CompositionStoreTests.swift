import Foundation
import Storage
import Testing
import WSECore

extension StoreContractTests {
    @Suite struct CompositionStoreTests {
        @Test(arguments: StoreEngine.allCases) func versionsCountUpFromOnePerComposition(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let first = try await store.saveComposition(id: "eab", source: "1")
                let second = try await store.saveComposition(id: "eab", source: "2")
                let other = try await store.saveComposition(id: "other", source: "x")
                #expect(first.version == 1 && first.source == "1" && first.id == "eab")
                #expect(second.version == 2)
                #expect(other.version == 1)
                #expect(try await store.compositionVersions(id: "eab") == [1, 2])
            }
        }

        @Test(arguments: StoreEngine.allCases) func newestVersionIsTheDefaultAndOlderOnesStayReadable(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let before = Date(timeIntervalSinceNow: -1)
                _ = try await store.saveComposition(id: "eab", source: "old")
                let saved = try await store.saveComposition(id: "eab", source: "new")
                let newest = try #require(try await store.composition(id: "eab", version: nil))
                #expect(newest == saved)
                #expect(newest.source == "new" && newest.version == 2)
                #expect(newest.createdAt >= before && newest.createdAt <= Date(timeIntervalSinceNow: 1))
                #expect(try await store.composition(id: "eab", version: 1)?.source == "old")
            }
        }

        @Test(arguments: StoreEngine.allCases) func unknownCompositionOrVersionIsNil(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                _ = try await store.saveComposition(id: "eab", source: "s")
                #expect(try await store.composition(id: "nope", version: nil) == nil)
                #expect(try await store.composition(id: "eab", version: 7) == nil)
                #expect(try await store.compositionVersions(id: "nope").isEmpty)
            }
        }

        @Test(arguments: StoreEngine.allCases) func deleteRemovesEveryVersionAndNumberingStartsAgain(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                _ = try await store.saveComposition(id: "eab", source: "1")
                _ = try await store.saveComposition(id: "eab", source: "2")
                _ = try await store.saveComposition(id: "kept", source: "k")
                #expect(try await store.deleteComposition(id: "eab"))
                #expect(try await store.compositionVersions(id: "eab").isEmpty)
                #expect(try await store.composition(id: "eab", version: nil) == nil)
                #expect(try await store.composition(id: "kept", version: nil)?.source == "k")
                #expect(try await store.saveComposition(id: "eab", source: "again").version == 1)
            }
        }

        @Test(arguments: StoreEngine.allCases) func deletingAnUnknownCompositionSaysFalse(engine: StoreEngine) async throws {
            try await engine.withStore { store async throws in
                #expect(try await store.deleteComposition(id: "nope") == false)
            }
        }

        @Test(arguments: StoreEngine.allCases) func concurrentSavesGetDistinctVersions(engine: StoreEngine) async throws {
            try await engine.withStore { store in
                let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                    for n in 0..<20 { group.addTask { try await store.saveComposition(id: "busy", source: "\(n)").version } }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(versions.sorted() == Array(1...20))
            }
        }
    }
}
