/// What one session keeps for its resume: the events the client has not acknowledged yet, and the other
/// messages (responses, errors, `end`s) sent while it was away, in the order they were sent.
///
/// Bounded by count and by bytes: when full, the oldest entries go. A client whose `lastSeq` points before
/// the oldest kept event, or that would miss a message dropped while it was away, can no longer resume
/// without loss. An event is kept in its shared encoding (``EncodedEvent``), so a fan-out's events cost each
/// session a reference, not a copy.
struct ResumeBuffer: Sendable {
    /// Events (`.event`, numbered from 1) and held messages (`.text`).
    private var entries: [OutboundMessage] = []
    /// Index of the first live entry; entries before it were dropped (compacted lazily).
    private var head = 0
    private var bytes = 0
    /// Every event with a seq up to this one was acknowledged or dropped; `.max` once a held message was
    /// dropped to make room (no resume can deliver everything any more).
    private var trimmedThrough: UInt64 = 0
    let maxEvents: Int
    let maxBytes: Int

    init(maxEvents: Int, maxBytes: Int) {
        self.maxEvents = max(1, maxEvents)
        self.maxBytes = maxBytes
    }

    /// Entries kept: events and held messages.
    var count: Int { entries.count - head }

    /// Held messages kept after the last event kept (the rank of the next one held, ``HeldMessage``).
    var heldSinceLastEvent: Int {
        var held = 0
        for entry in entries[head...].reversed() {
            guard entry.isHeldMessage else { break }
            held += 1
        }
        return held
    }

    /// Keeps an event until it is acknowledged, or a message that is not an event (`.text`, sent while the
    /// client is away) until the resume replays it.
    mutating func add(_ message: OutboundMessage) {
        entries.append(message)
        bytes += message.byteCount
        while count > maxEvents || (bytes > maxBytes && count > 1) {
            dropFirst()
        }
    }

    /// The client has every event up to `seq`.
    mutating func acknowledge(through seq: UInt64) {
        while let first = first, first.seq <= seq { dropFirst() }
        trimmedThrough = max(trimmedThrough, seq)
    }

    /// The messages to send on a resume after `seq`, in order: the events after it and every held message
    /// (which are then delivered and no longer kept). Nil when some of them are no longer kept.
    mutating func replay(after seq: UInt64) -> [OutboundMessage]? {
        guard seq >= trimmedThrough else { return nil }
        let replay = entries[head...].filter { $0.isHeldMessage || $0.seq > seq }
        if entries[head...].contains(where: \.isHeldMessage) {
            entries = entries[head...].filter { !$0.isHeldMessage }
            head = 0
            bytes = entries.reduce(0) { $0 + $1.byteCount }
        }
        return replay
    }

    private var first: OutboundMessage? { head < entries.count ? entries[head] : nil }

    private mutating func dropFirst() {
        let entry = entries[head]
        bytes -= entry.byteCount
        trimmedThrough = entry.isHeldMessage ? .max : max(trimmedThrough, entry.seq)
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

extension OutboundMessage {
    /// An event's seq; 0 for a held message (events start at 1), which has no seq on the wire.
    fileprivate var seq: UInt64 {
        switch self {
        case .event(let seq, _), .storedEvent(let seq, _): seq
        case .text: 0
        }
    }

    /// A message held for an away client (not an event).
    var isHeldMessage: Bool { seq == 0 }
}
