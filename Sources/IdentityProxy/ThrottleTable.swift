import Foundation

/// What a `ThrottleTable` holds: the failure count of one key.
protocol ThrottleEntry: Sendable {
    init(at now: Date)
    var lastUpdate: Date { get }
    /// Whether forgetting the entry would change nothing (its failures have expired).
    func isSpent(at now: Date, limits: LoginLimits) -> Bool
    /// How much the entry slows a client down; the lightest entries are forgotten first.
    func weight(at now: Date, limits: LoginLimits) -> Double
}

/// A dictionary of failure counts that never holds more than `LoginLimits.maxTrackedEntries`.
///
/// When full it drops the spent entries, then the lightest tenth (fewest failures, then stalest):
/// a flood of new keys, each with one failure, only pushes out other such keys, never the count of
/// a client already backing off.
struct ThrottleTable<Key: Hashable & Sendable, Entry: ThrottleEntry>: Sendable {
    private var entries: [Key: Entry] = [:]

    var count: Int { entries.count }

    subscript(key: Key) -> Entry? { entries[key] }

    /// Changes the entry of `key`, creating it (and making room for it) when there is none.
    mutating func update(_ key: Key, at now: Date, limits: LoginLimits, _ change: (inout Entry) -> Void) {
        if entries[key] == nil, entries.count >= limits.maxTrackedEntries { makeRoom(at: now, limits: limits) }
        change(&entries[key, default: Entry(at: now)])
    }

    /// Changes the entry of `key` if there is one.
    mutating func updateIfPresent(_ key: Key, _ change: (inout Entry) -> Void) {
        guard var entry = entries[key] else { return }
        change(&entry)
        entries[key] = entry
    }

    mutating func remove(_ key: Key) { entries[key] = nil }

    private mutating func makeRoom(at now: Date, limits: LoginLimits) {
        entries = entries.filter { !$0.value.isSpent(at: now, limits: limits) }
        guard entries.count >= limits.maxTrackedEntries else { return }
        // A tenth at once: a flood of new keys sorts the table once per tenth of its capacity, not once per key.
        let excess = entries.count - limits.maxTrackedEntries + max(1, limits.maxTrackedEntries / 10)
        let lightest = entries
            .map { (key: $0.key, weight: $0.value.weight(at: now, limits: limits), lastUpdate: $0.value.lastUpdate) }
            .sorted { ($0.weight, $0.lastUpdate) < ($1.weight, $1.lastUpdate) }
            .prefix(excess)
        for entry in lightest { entries[entry.key] = nil }
    }
}
