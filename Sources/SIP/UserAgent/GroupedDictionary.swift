/// A dictionary that also keeps its keys grouped by a property of their values, up to date on
/// every write, so that "the entries of this group" costs what the group holds rather than a
/// scan of everything: a NOTIFY's subscription among a watcher's thousands, the watchers of one
/// presentity, the processes watching one contact.
public struct GroupedDictionary<Key: Hashable, Group: Hashable, Value> {
    private var entries: [Key: Value] = [:]
    private var keysByGroup: [Group: Set<Key>] = [:]
    private let groupOf: @Sendable (Value) -> Group

    public init(groupedBy groupOf: @escaping @Sendable (Value) -> Group) {
        self.groupOf = groupOf
    }

    public subscript(key: Key) -> Value? {
        get { entries[key] }
        set {
            let oldGroup = entries[key].map(groupOf)
            let newGroup = newValue.map(groupOf)
            entries[key] = newValue
            guard oldGroup != newGroup else { return }
            if let oldGroup {
                keysByGroup[oldGroup]?.remove(key)
                if keysByGroup[oldGroup]?.isEmpty == true { keysByGroup[oldGroup] = nil }
            }
            if let newGroup { keysByGroup[newGroup, default: []].insert(key) }
        }
    }

    /// The keys whose values belong to `group`.
    public func keys(in group: Group) -> Set<Key> { keysByGroup[group] ?? [] }

    /// The entries whose values belong to `group`.
    public func entries(in group: Group) -> [(key: Key, value: Value)] {
        keys(in: group).compactMap { key in entries[key].map { (key, $0) } }
    }

    public var keys: Dictionary<Key, Value>.Keys { entries.keys }
    public var values: Dictionary<Key, Value>.Values { entries.values }
    public var count: Int { entries.count }

    public mutating func removeAll() {
        entries.removeAll()
        keysByGroup.removeAll()
    }
}

extension GroupedDictionary: Sequence {
    public func makeIterator() -> Dictionary<Key, Value>.Iterator { entries.makeIterator() }
}

extension GroupedDictionary: Sendable where Key: Sendable, Group: Sendable, Value: Sendable {}
