import Synchronization
import WSECore

/// One browser session: who it is, its event numbering and resume buffer, and the connection it is
/// attached to (none while the client is away, inside its resume window).
///
/// Shared by the connection's event loop and by every caller of `SessionOutput`, so its state sits
/// behind a lock. Messages for the connection wait in the session's outbox, in `seq` order whoever
/// sends them; the connection's event loop takes the whole outbox at once and flushes it (see
/// ``SessionChannelHandler/flushOutbox()``), so a burst of messages costs one hop and one flush.
final class Session: Sendable {
    let id: SessionID
    let user: UserName
    private let state: Mutex<State>

    private struct State {
        var principal: Principal
        var lastSeq: UInt64 = 0
        var buffer: ResumeBuffer
        var link: ConnectionLink?
        /// Messages for the connection `outboxLink`, not yet taken by its event loop.
        var outbox: [OutboundMessage] = []
        /// The connection whose event loop has a flush of `outbox` scheduled; nil when none is.
        var outboxLink: ObjectIdentifier?
        /// Grows on every detach, so that a stale resume-window timer cannot end a re-attached session.
        var generation: UInt64 = 0
        var ended = false

        /// Queues a message for the attached connection.
        /// - Returns: the connection whose event loop must be asked to flush, when no flush is scheduled yet.
        mutating func queue(_ message: OutboundMessage, on link: ConnectionLink) -> ConnectionLink? {
            outbox.append(message)
            guard outboxLink == nil else { return nil }
            outboxLink = link.id
            return link
        }

        /// Gives the event the next seq, keeps it for the resume and queues it for the attached connection.
        mutating func number(_ event: EncodedEvent) -> SendOutcome {
            lastSeq += 1
            let message = OutboundMessage.event(seq: lastSeq, event)
            buffer.add(message)
            guard let link else { return .heldWhileAway }
            return .sent(flush: queue(message, on: link))
        }

        /// Drops what waits for a connection that is no longer attached.
        mutating func forgetOutbox() {
            outbox = []
            outboxLink = nil
        }
    }

    /// What happened to a message handed to the session.
    enum SendOutcome {
        /// Queued for the attached connection; `flush` is set when the caller must schedule the flush
        /// (``ConnectionLink/scheduleFlush()``), nil when one is scheduled already.
        case sent(flush: ConnectionLink?)
        /// Kept for the resume: no connection is attached.
        case heldWhileAway
        case sessionEnded

        /// Whether the session still exists (the message was sent or kept).
        var reached: Bool {
            if case .sessionEnded = self { return false }
            return true
        }
    }

    init(id: SessionID, principal: Principal, resumeBufferEvents: Int, resumeBufferBytes: Int) {
        self.id = id
        self.user = principal.user
        self.state = Mutex(State(principal: principal, buffer: ResumeBuffer(maxEvents: resumeBufferEvents, maxBytes: resumeBufferBytes)))
    }

    /// A session taken over from another node: it continues after `moved.lastSeq` and holds the events after
    /// `lastSeq` (the client's), so that the resume that follows replays them.
    /// The messages held for the away client take their places among the events, as they were sent.
    func restore(_ moved: MovedSession, after lastSeq: UInt64) {
        state.withLock { state in
            state.lastSeq = moved.lastSeq
            state.buffer.acknowledge(through: lastSeq)
            var held = moved.held[...]
            for event in moved.events where event.seq > lastSeq {
                while let message = held.first, message.afterSeq < event.seq {
                    state.buffer.add(.text(message.text))
                    held = held.dropFirst()
                }
                state.buffer.add(.storedEvent(seq: event.seq, text: event.text))
            }
            for message in held { state.buffer.add(.text(message.text)) }
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
    /// kept for the resume in its place among the events, and then (only then: a connected session pays nothing
    /// more) also recorded in `journal`, the shared session store, if any.
    @discardableResult
    func send(_ message: ServerMessage, recordingIn journal: (any SessionJournal)? = nil) -> SendOutcome {
        let text = message.jsonText
        let outcome = state.withLock { state -> SendOutcome in
            if state.ended { return .sessionEnded }
            guard let link = state.link else {
                journal?.hold(session: id, afterSeq: state.lastSeq, rank: state.buffer.heldSinceLastEvent, text: text)
                state.buffer.add(.text(text))
                return .heldWhileAway
            }
            return .sent(flush: state.queue(.text(text), on: link))
        }
        if case .sent(let link?) = outcome { link.scheduleFlush() }
        return outcome
    }

    /// Sends an event with the next `seq`; it is kept until acknowledged.
    @discardableResult
    func send(_ event: OutboundEvent, recordingIn journal: (any SessionJournal)? = nil) -> SendOutcome {
        let encoded = EncodedEvent(event)
        let outcome = state.withLock { state in state.ended ? .sessionEnded : number(encoded, in: &state, recordingIn: journal) }
        if case .sent(let link?) = outcome { link.scheduleFlush() }
        return outcome
    }

    /// Numbers an event already encoded (shared by every session a push goes to) and queues it, when the
    /// session's principal is admitted; the caller schedules the flush when the outcome asks for one (a
    /// fan-out does so once per event loop). - Returns: nil when `admits` refused.
    func queue(_ event: EncodedEvent, admitting admits: (Principal) -> Bool, recordingIn journal: (any SessionJournal)?) -> SendOutcome? {
        state.withLock { state in
            if state.ended { return .sessionEnded }
            guard admits(state.principal) else { return nil }
            return number(event, in: &state, recordingIn: journal)
        }
    }

    /// Numbers `event`; with the shared session store (`journal`, passed in rather than kept, so that a session
    /// stays as small as before) also records it, under the lock so that records follow the seq order. Without
    /// it nothing more than the nil check is paid.
    private func number(_ event: EncodedEvent, in state: inout State, recordingIn journal: (any SessionJournal)?) -> SendOutcome {
        let outcome = state.number(event)
        if let journal {
            journal.record(session: id, seq: state.lastSeq, text: OutboundMessage.event(seq: state.lastSeq, event).text)
        }
        return outcome
    }

    /// The messages queued for `link`, taken by its event loop when the flush it was asked for runs.
    /// Empty when another connection took the session over since. Once the session has ended, what was
    /// queued before is still taken (and written before the close frame, which was scheduled after it).
    func takeOutbox(for link: ObjectIdentifier) -> [OutboundMessage] {
        state.withLock { state in
            guard state.outboxLink == link else { return [] }
            defer { state.forgetOutbox() }
            return state.outbox
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

    /// Attaches a connection and queues `welcome`, then (when resuming) the events after `lastSeq` and the
    /// messages held while the client was away, in the order they were sent (the held ones then leave
    /// `journal` too). What was queued for the connection it replaces is dropped there (that connection is
    /// being closed; the events stay in the resume buffer).
    ///
    /// A fresh session (`lastSeq` nil) gets, after `welcome`, whatever was given to it before this first attach
    /// (a user push that came between its registration and the attach). With `flush` false nothing is sent
    /// yet: the caller schedules the flush (``ConnectionLink/scheduleFlush()``) when `welcome` may go, and
    /// what comes meanwhile waits behind it.
    /// - Returns: false when the session cannot be resumed without loss (ended, or events no longer kept),
    ///   and the connection replaced (to be closed), if any.
    func attach(
        _ link: ConnectionLink, principal: Principal, resumingAfter lastSeq: UInt64?, heartbeat: Int,
        recordingIn journal: (any SessionJournal)? = nil, flush: Bool = true
    ) -> (attached: Bool, replaced: ConnectionLink?) {
        let result = state.withLock { state -> (attached: Bool, replaced: ConnectionLink?) in
            guard !state.ended else { return (false, nil) }
            guard (lastSeq ?? 0) <= state.lastSeq, let replay = state.buffer.replay(after: lastSeq ?? 0) else { return (false, nil) }
            if let journal, replay.contains(where: \.isHeldMessage) { journal.replayed(session: id) }
            let replaced = state.link
            state.link = link
            state.principal = principal
            state.forgetOutbox()
            _ = state.queue(.text(ServerMessage.welcome(session: id, resumed: lastSeq != nil, heartbeat: heartbeat).jsonText), on: link)
            state.outbox += replay
            return (true, replaced)
        }
        if result.attached, flush { link.scheduleFlush() }
        return result
    }

    /// Detaches `link` if it is the attached connection.
    /// - Returns: the generation to give ``expire(generation:)`` when the resume window passes, or nil.
    func detach(_ link: ConnectionLink) -> UInt64? {
        state.withLock { state in
            guard !state.ended, state.link?.id == link.id else { return nil }
            state.link = nil
            state.forgetOutbox()
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
