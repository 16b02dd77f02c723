/// One event of a session as the shared session store keeps it: its `seq` and the `event` message's text.
public struct JournaledEvent: Sendable, Hashable {
    public var seq: UInt64
    public var text: String

    public init(seq: UInt64, text: String) {
        self.seq = seq
        self.text = text
    }
}

/// A `response`, `error` or `end` sent while the session's client was away, as the shared session store keeps
/// it. It has no `seq`: its place is after the event `afterSeq` (the session's last `seq` when it was sent), as
/// the `rank`-th (from 0) of the messages held after that event.
public struct HeldMessage: Sendable, Hashable {
    public var afterSeq: UInt64
    public var rank: Int
    public var text: String

    public init(afterSeq: UInt64, rank: Int, text: String) {
        self.afterSeq = afterSeq
        self.rank = rank
        self.text = text
    }
}

/// A session taken over from another node: the highest `seq` it gave out, its events after the client's
/// `lastSeq`, in order, and the messages held for its away client, in their order.
public struct MovedSession: Sendable, Equatable {
    public var lastSeq: UInt64
    public var events: [JournaledEvent]
    public var held: [HeldMessage]

    public init(lastSeq: UInt64, events: [JournaledEvent], held: [HeldMessage] = []) {
        self.lastSeq = lastSeq
        self.events = events
        self.held = held
    }
}

/// Port: the shared session store (`sessions.store: shared`), which lets a session outlive its node.
/// Implemented by the Cluster target; nil for the memory store, whose path is then unchanged.
public protocol SessionJournal: Sendable {
    /// Keeps an event given to a session; called in `seq` order under the session's lock, so it must not block.
    func record(session: SessionID, seq: UInt64, text: String)
    /// Keeps a `response`, `error` or `end` held for the session's away client (see ``HeldMessage``); called in
    /// order with ``record(session:seq:text:)``, under the session's lock, so it must not block.
    func hold(session: SessionID, afterSeq: UInt64, rank: Int, text: String)
    /// A resume replayed the session's held messages to its client: they may go (never blocks; called under the
    /// session's lock, so that it is ordered with the holds that follow).
    func replayed(session: SessionID)
    /// Returns once every event and held message recorded before the call is committed (commits are batched
    /// across callers).
    /// - Returns: false when a commit that may hold one of them failed (or the store stopped): not durable.
    @discardableResult
    func committed() async -> Bool
    /// The client has every event up to `seq`: they may go (never blocks).
    func acknowledge(session: SessionID, through seq: UInt64)
    /// A session of `user` that this node does not hold: asks the node that holds it to let go, and returns it
    /// with its events after `lastSeq`; nil when the store does not know it (or it is another user's).
    func takeOver(session: SessionID, user: UserName, after lastSeq: UInt64) async -> MovedSession?
    /// The taken-over session is held here now: its processes move to this node.
    func tookOver(_ session: SessionContext)
}
