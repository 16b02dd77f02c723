import Synchronization
import WSECore

/// Sessions this node is taking over whose processes it has not adopted yet: from just before their directory
/// rows are moved here until the mediator holds them. A push for one of their processes is answered 503 (the
/// connector pushes again in a moment), not 404; a row naming this node for any other session is a process
/// that is gone (a restarted node's old sessions that never came back).
final class ArrivingSessions: Sendable {
    private let sessions = Mutex<Set<SessionID>>([])

    func begin(_ session: SessionID) { _ = sessions.withLock { $0.insert(session) } }
    func end(_ session: SessionID) { _ = sessions.withLock { $0.remove(session) } }
    func contains(_ session: SessionID) -> Bool { sessions.withLock { $0.contains(session) } }
}
