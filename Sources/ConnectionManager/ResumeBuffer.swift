/// The events of one session that the client has not acknowledged yet, kept for resume.
///
/// Bounded by count and by bytes: when full, the oldest events go. A client whose `lastSeq`
/// points before the oldest kept event can no longer resume without loss.
struct ResumeBuffer: Sendable {
    private struct Entry: Sendable {
        let seq: UInt64
        let text: String
    }

    private var entries: [Entry] = []
    /// Index of the first live entry; entries before it were dropped (compacted lazily).
    private var head = 0
    private var bytes = 0
    /// Every event with a seq up to this one was acknowledged or dropped.
    private(set) var trimmedThrough: UInt64 = 0
    let maxEvents: Int
    let maxBytes: Int

    init(maxEvents: Int, maxBytes: Int) {
        self.maxEvents = max(1, maxEvents)
        self.maxBytes = maxBytes
    }

    var count: Int { entries.count - head }

    mutating func append(seq: UInt64, text: String) {
        entries.append(Entry(seq: seq, text: text))
        bytes += text.utf8.count
        while count > maxEvents || (bytes > maxBytes && count > 1) {
            dropFirst()
        }
    }

    /// The client has every event up to `seq`.
    mutating func acknowledge(through seq: UInt64) {
        while let first = first, first.seq <= seq { dropFirst() }
        trimmedThrough = max(trimmedThrough, seq)
    }

    /// The texts of the events after `seq`, in order; nil when some of them are no longer kept.
    func events(after seq: UInt64) -> [String]? {
        guard seq >= trimmedThrough else { return nil }
        return entries[head...].filter { $0.seq > seq }.map(\.text)
    }

    private var first: Entry? { head < entries.count ? entries[head] : nil }

    private mutating func dropFirst() {
        let entry = entries[head]
        bytes -= entry.text.utf8.count
        trimmedThrough = max(trimmedThrough, entry.seq)
        head += 1
        if head == entries.count {
            entries.removeAll()
            head = 0
        } else if head >= 32, head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
