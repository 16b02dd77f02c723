import Foundation

/// Events sent to a running interpreter from other threads (host site replies, stream data, kill).
/// The interpreter thread sleeps on it when it has nothing to run. Sendable because every access
/// to `events` holds `condition`'s lock.
final class Mailbox: @unchecked Sendable {
    enum Event {
        case kill
        /// The answer to the host call the interpreter registered under this number.
        case hostReply(Int, OrcHostReply)
        case streamReady(OrcStream)
    }

    private let condition = NSCondition()
    private var events: [Event] = []

    /// Hands `event` (and any value in it) over to the interpreter thread.
    func post(_ event: sending Event) {
        condition.lock()
        events.append(event)
        condition.signal()
        condition.unlock()
    }

    var hasEvents: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !events.isEmpty
    }

    func take() -> [Event] {
        condition.lock()
        defer { condition.unlock() }
        let taken = events
        events = []
        return taken
    }

    /// Sleeps until an event arrives or the deadline passes (nil: no deadline).
    func wait(until deadline: Date?) {
        condition.lock()
        defer { condition.unlock() }
        while events.isEmpty {
            if let deadline {
                if !condition.wait(until: deadline) { return }
            } else {
                condition.wait()
            }
        }
    }
}
