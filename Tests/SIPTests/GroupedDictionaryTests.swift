import Testing
import SIP

/// The group index follows every write: insert, move to another group, remove, remove all.
@Suite("Grouped dictionary")
struct GroupedDictionaryTests {
    struct Watch: Equatable {
        let entity: String
        var sequence: Int
    }

    @Test func groupsFollowInsertsMovesAndRemovals() {
        var table = GroupedDictionary<String, String, Watch>(groupedBy: \.entity)
        table["a"] = Watch(entity: "alice", sequence: 1)
        table["b"] = Watch(entity: "alice", sequence: 1)
        table["c"] = Watch(entity: "bob", sequence: 1)
        #expect(table.keys(in: "alice") == ["a", "b"])
        #expect(table.keys(in: "bob") == ["c"])

        table["a"]?.sequence = 2
        #expect(table.keys(in: "alice") == ["a", "b"], "a change within the group keeps it there")
        #expect(table["a"]?.sequence == 2)

        table["b"] = Watch(entity: "bob", sequence: 1)
        #expect(table.keys(in: "alice") == ["a"])
        #expect(table.keys(in: "bob") == ["b", "c"])

        table["a"] = nil
        #expect(table.keys(in: "alice").isEmpty)
        #expect(table.entries(in: "bob").map(\.key).sorted() == ["b", "c"])
        #expect(table.count == 2)

        table.removeAll()
        #expect(table.keys(in: "bob").isEmpty && table.count == 0)
    }
}
