import Foundation
import Synchronization

/// A stream of values that the host feeds and the program reads with `s.get()` (blocks until a
/// value arrives; halts once the stream is finished and drained) or `s.getD()` (halts if empty).
/// Give it to the program as the value a host site publishes, or as a bound variable.
///
/// Sendable because all its state is behind `shared`'s lock (the reads waiting for a value are
/// the interpreter's, kept on its thread).
public final class OrcStream: Site, @unchecked Sendable {
    private struct Shared {
        var buffer: [OrcValue] = []
        var finished = false
        var mailbox: Mailbox?
    }

    private let shared = Mutex(Shared())

    public override init(name: String = "stream") { super.init(name: name) }

    /// Adds a value; a waiting `get()` receives it.
    public func send(_ value: OrcValue) {
        let mailbox = shared.withLock { state -> Mailbox? in
            state.buffer.append(value)
            return state.mailbox
        }
        mailbox?.post(.streamReady(self))
    }

    /// No more values: pending and later `get()` calls halt once the buffer is drained.
    public func finish() {
        let mailbox = shared.withLock { state -> Mailbox? in
            state.finished = true
            return state.mailbox
        }
        mailbox?.post(.streamReady(self))
    }

    override func member(_ name: String) -> OrcValue? {
        switch name {
        case "get": return .site(MethodSite(name: "get") { _, call in self.get(call, blocking: true) })
        case "getD": return .site(MethodSite(name: "getD") { _, call in self.get(call, blocking: false) })
        default: return nil
        }
    }

    /// The next buffered value (nil if none) and whether the host has finished the stream.
    func next() -> (value: OrcValue?, finished: Bool) {
        shared.withLock { state in (state.buffer.isEmpty ? nil : state.buffer.removeFirst(), state.finished) }
    }

    private func get(_ call: SiteCall, blocking: Bool) -> SiteOutcome {
        shared.withLock { $0.mailbox = call.interpreter.mailbox }
        let (value, finished) = next()
        if let value { return .publish(value) }
        if finished || !blocking { return .halt }
        call.interpreter.awaitStream(self, call)
        return .pending(quiescent: false)
    }
}
