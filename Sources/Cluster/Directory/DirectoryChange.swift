import WSECore

/// One change to the shared directories, written in batches by the directory's `GroupCommitter`.
enum DirectoryChange: Sendable {
    case sessionOpened(id: SessionID, user: UserName, principal: String)
    case sessionEnded(SessionID)
    case processStarted(DirectoryProcess)
    case processEnded(ProcessID)
}

/// One change to the shared session store, written in batches by the journal's `GroupCommitter`.
enum JournalEntry: Sendable {
    case event(session: SessionID, seq: UInt64, text: String)
    case acknowledged(session: SessionID, through: UInt64)
    /// A `response`, `error` or `end` held for the session's away client (`HeldMessage`).
    case held(session: SessionID, HeldMessage)
    /// A resume replayed the session's held messages: those held before go.
    case replayed(session: SessionID)
}
