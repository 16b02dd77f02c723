/// One event of a session as the shared session store keeps it: its `seq` and the `event` message's text.
public struct JournaledEvent: Sendable, Hashable {
    public var seq: UInt64
    public var text: String

    public init(seq: UInt64, text: String) {
        self.seq = seq
        self.text = text
    }
}

/// A session taken over from another node: the highest `seq` it gave out, and its events after the
/// client's `lastSeq`, in order.
public struct MovedSession: Sendable, Equatable {
    public var lastSeq: UInt64
    public var events: [JournaledEvent]

    public init(lastSeq: UInt64, events: [JournaledEvent]) {
        self.lastSeq = lastSeq
        self.events = events
    }
}

/// Port: the shared session store (`sessions.store: shared`), which lets a session outlive its node.
/// Implemented by the Cluster target; nil for the memory store, whose path is then unchanged.
public protocol SessionJournal: Sendable {
    /// Keeps an event given to a session; called in `seq` order under the session's lock, so it must not block.
    func record(session: SessionID, seq: UInt64, text: String)
    /// Returns once every event recorded before the call is committed (commits are batched across callers).
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
