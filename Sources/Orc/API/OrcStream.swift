import Foundation

/// A stream of values that the host feeds and the program reads with `s.get()` (blocks until a
/// value arrives; halts once the stream is finished and drained) or `s.getD()` (halts if empty).
/// Give it to the program as the value a host site publishes, or as a bound variable.
///
/// Sendable because every mutable field is read and written under `lock` (the reads waiting for
/// a value are the interpreter's, kept on its thread); values are handed over (`sending`).
public final class OrcStream: Site, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [OrcValue] = []
    private var finished = false
    private var mailbox: Mailbox?

    public override init(name: String = "stream") { super.init(name: name) }

    /// Adds a value; a waiting `get()` receives it.
    public func send(_ value: sending OrcValue) {
        lock.lock()
        buffer.append(value)
        let mailbox = self.mailbox
        lock.unlock()
        mailbox?.post(.streamReady(self))
    }

    /// No more values: pending and later `get()` calls halt once the buffer is drained.
    public func finish() {
        lock.lock()
        finished = true
        let mailbox = self.mailbox
        lock.unlock()
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
        lock.lock()
        defer { lock.unlock() }
        return (buffer.isEmpty ? nil : buffer.removeFirst(), finished)
    }

    private func get(_ call: SiteCall, blocking: Bool) -> SiteOutcome {
        lock.lock()
        mailbox = call.interpreter.mailbox
        lock.unlock()
        let (value, finished) = next()
        if let value { return .publish(value) }
        if finished || !blocking { return .halt }
        call.interpreter.awaitStream(self, call)
        return .pending(quiescent: false)
    }
}
