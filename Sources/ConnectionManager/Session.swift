import Synchronization
import WSECore

/// One browser session: who it is, its event numbering and resume buffer, and the connection it is
/// attached to (none while the client is away, inside its resume window).
///
/// Shared by the connection's event loop and by every caller of `SessionOutput`, so its state sits
/// behind a lock. Writes to the connection are handed to the connection's event loop while the lock
/// is held, which keeps frames in `seq` order whoever sends them.
final class Session: Sendable {
    let id: SessionID
    let user: UserName
    private let state: Mutex<State>

    private struct State {
        var principal: Principal
        var lastSeq: UInt64 = 0
        var buffer: ResumeBuffer
        var link: ConnectionLink?
        /// Grows on every detach, so that a stale resume-window timer cannot end a re-attached session.
        var generation: UInt64 = 0
        var ended = false
    }

    /// What happened to a message handed to the session.
    enum SendOutcome {
        case sent
        /// Kept for the resume: no connection is attached.
        case heldWhileAway
        case sessionEnded
    }

    init(id: SessionID, principal: Principal, resumeBufferEvents: Int, resumeBufferBytes: Int) {
        self.id = id
        self.user = principal.user
        self.state = Mutex(State(principal: principal, buffer: ResumeBuffer(maxEvents: resumeBufferEvents, maxBytes: resumeBufferBytes)))
    }

    /// A session taken over from another node: it continues after `moved.lastSeq` and holds the events after
    /// `lastSeq` (the client's), so that the resume that follows replays them.
    func restore(_ moved: MovedSession, after lastSeq: UInt64) {
        state.withLock { state in
            state.lastSeq = moved.lastSeq
            for event in moved.events where event.seq > lastSeq { state.buffer.append(seq: event.seq, text: event.text) }
            state.buffer.acknowledge(through: lastSeq)
        }
    }

    /// Whether a connection is attached (false while the client is away, or once ended).
    var isAttached: Bool { state.withLock { $0.link != nil } }

    /// Entries kept for resume: unacknowledged events, and messages held while the client is away.
    var bufferedEvents: Int { state.withLock { $0.buffer.count } }

    var context: SessionContext {
        SessionContext(id: id, principal: state.withLock { $0.principal })
    }

    /// Sends a message that is not an event (response, end, error): not numbered; while the client is away,
    /// kept for the resume in its place among the events.
    func send(_ message: ServerMessage) -> SendOutcome {
        state.withLock { state in
            if state.ended { return .sessionEnded }
            guard let link = state.link else {
                state.buffer.hold(message.jsonText)
                return .heldWhileAway
            }
            link.deliver(message.jsonText)
            return .sent
        }
    }

    /// Sends an event with the next `seq`; it is kept until acknowledged (and recorded in `journal`, the shared
    /// session store, when there is one: passed in rather than kept, so that a session stays as small as before).
    func send(_ event: OutboundEvent, recordingIn journal: (any SessionJournal)? = nil) -> SendOutcome {
        state.withLock { state in
            if state.ended { return .sessionEnded }
            state.lastSeq += 1
            let text = event.message(seq: state.lastSeq).jsonText
            state.buffer.append(seq: state.lastSeq, text: text)
            journal?.record(session: id, seq: state.lastSeq, text: text)
            guard let link = state.link else { return .heldWhileAway }
            link.deliver(text)
            return .sent
        }
    }

    /// The client has every event up to `seq`: drop them from the resume buffer (and from `journal`, if any).
    func acknowledge(through seq: UInt64, recordingIn journal: (any SessionJournal)? = nil) {
        let through = state.withLock { state in
            let through = min(seq, state.lastSeq)
            state.buffer.acknowledge(through: through)
            return through
        }
        journal?.acknowledge(session: id, through: through)
    }

    /// Attaches a connection and writes `welcome`, then (when resuming) the events after `lastSeq` and the
    /// messages held while the client was away, in the order they were sent.
    /// - Returns: false when the session cannot be resumed without loss (ended, or events no longer kept),
    ///   and the connection replaced (to be closed), if any.
    func attach(_ link: ConnectionLink, principal: Principal, resumingAfter lastSeq: UInt64?, heartbeat: Int)
        -> (attached: Bool, replaced: ConnectionLink?)
    {
        state.withLock { state in
            guard !state.ended else { return (false, nil) }
            var replay: [String] = []
            if let lastSeq {
                guard lastSeq <= state.lastSeq, let missed = state.buffer.replay(after: lastSeq) else { return (false, nil) }
                replay = missed
            }
            let replaced = state.link
            state.link = link
            state.principal = principal
            link.deliver(ServerMessage.welcome(session: id, resumed: lastSeq != nil, heartbeat: heartbeat).jsonText)
            for text in replay { link.deliver(text) }
            return (true, replaced)
        }
    }

    /// Detaches `link` if it is the attached connection.
    /// - Returns: the generation to give ``expire(generation:)`` when the resume window passes, or nil.
    func detach(_ link: ConnectionLink) -> UInt64? {
        state.withLock { state in
            guard !state.ended, state.link?.id == link.id else { return nil }
            state.link = nil
            state.generation += 1
            return state.generation
        }
    }

    /// Ends the session if it is still away since the detach that returned `generation`.
    /// - Returns: true when it ended now.
    func expire(generation: UInt64) -> Bool {
        state.withLock { state in
            guard !state.ended, state.link == nil, state.generation == generation else { return false }
            state.ended = true
            return true
        }
    }

    /// Ends the session if `link` is its connection (not when another connection took it over since).
    /// - Returns: true when it ended now.
    func end(attachedTo link: ConnectionLink) -> Bool {
        state.withLock { state in
            guard !state.ended, state.link?.id == link.id else { return false }
            state.ended = true
            state.link = nil
            return true
        }
    }

    /// Ends the session now. - Returns: the attached connection (to be closed), and whether it ended now.
    func end() -> (link: ConnectionLink?, endedNow: Bool) {
        state.withLock { state in
            let link = state.link
            let endedNow = !state.ended
            state.ended = true
            state.link = nil
            return (link, endedNow)
        }
    }
}
