/// Where a process is in its life, as the process table sees it.
///
/// Output is held back until the first answer (a connector may push through connector IN before its own
/// 202 reaches connector OUT, and the owner must see the response first), flows while the process runs,
/// and the row goes once the owner has everything queued. Transitions are the methods below; each one
/// returns false, leaving the state unchanged, when it does not apply.
enum ProcessState: Sendable, Equatable {
    /// How the owner learns that an ended process is over.
    enum EndNotice: Sendable, Equatable {
        /// An `end` message: asynchronous calls, compositions, cancels.
        case endMessage
        /// Nothing more: the synchronous answer or the error closed the call for the owner.
        case closedByAnswer
        /// Nobody: the owner is gone, and queued output is dropped.
        case ownerGone
    }

    /// Admitted; no answer yet. Output is held.
    case awaitingAnswer
    /// Ended (a connector's final push, a composition's halt) before its first answer, which is still awaited.
    case endedBeforeAnswer
    /// Answered and open (a 202, a started composition): output flows to the owner.
    case running
    /// Over: what is queued still reaches the owner (unless gone), then the row is removed.
    case ended(EndNotice)

    /// Output may flow to the owner (the first answer came).
    var isAnswered: Bool {
        switch self {
        case .awaitingAnswer, .endedBeforeAnswer: false
        case .running, .ended: true
        }
    }

    /// The process no longer takes pushes, cancels or capacity.
    var isEnded: Bool {
        switch self {
        case .awaitingAnswer, .running: false
        case .endedBeforeAnswer, .ended: true
        }
    }

    /// The first answer. `keepsRunning` for a 202 or a started composition; otherwise (a synchronous
    /// result, an error) the answer closes the call. - Returns: false for a late answer (to be dropped).
    mutating func answer(keepsRunning: Bool) -> Bool {
        switch self {
        case .awaitingAnswer: self = keepsRunning ? .running : .ended(.closedByAnswer)
        case .endedBeforeAnswer: self = .ended(keepsRunning ? .endMessage : .closedByAnswer)
        case .running, .ended: return false
        }
        return true
    }

    /// The process is over on its own (a final push, a composition's halt). - Returns: false if it had ended.
    mutating func end() -> Bool {
        switch self {
        case .awaitingAnswer: self = .endedBeforeAnswer
        case .running: self = .ended(.endMessage)
        case .endedBeforeAnswer, .ended: return false
        }
        return true
    }

    /// The process is cancelled, answered or not: the owner is told with `end`, unless it is gone.
    /// - Returns: false if it had ended.
    mutating func cancel(ownerGone: Bool) -> Bool {
        guard !isEnded else { return false }
        self = .ended(ownerGone ? .ownerGone : .endMessage)
        return true
    }

    /// The owner went away after the process ended: what is still queued is dropped.
    mutating func ownerLeft() {
        if case .ended = self { self = .ended(.ownerGone) }
    }
}
