import Foundation
import Synchronization

/// What a host site answers to one call.
public enum OrcHostReply: Sendable {
    /// The call publishes this value.
    case publish(OrcValue)
    /// The call halts silently.
    case halt
    /// The call fails: the run reports an `Error:` line and the call halts.
    case error(OrcRuntimeError)
}

/// A site implemented by the host in Swift: an async function of the argument values.
/// The call is strict (it starts when all arguments are known); if the calling branch is killed
/// (pruning, or the run is killed) the task running `body` is cancelled.
public struct OrcHostSite: Sendable {
    public var body: @Sendable ([OrcValue]) async -> OrcHostReply

    public init(_ body: @escaping @Sendable ([OrcValue]) async -> OrcHostReply) {
        self.body = body
    }
}

/// Runs a host site on the Swift concurrency pool and posts its reply to the interpreter.
final class HostSiteAdapter: Site, @unchecked Sendable {
    let host: OrcHostSite

    init(name: String, host: OrcHostSite) {
        self.host = host
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        let interpreter = call.interpreter
        interpreter.pendingExternal += 1
        let pending = PendingHostCall(call: call)
        let mailbox = interpreter.mailbox
        let body = host.body
        let task = Task {
            let reply = await body(arguments)
            mailbox.post(.hostReply(pending, reply))
        }
        call.onKill { task.cancel() }
        return .pending(quiescent: false)
    }
}

/// A stream of values that the host feeds and the program reads with `s.get()` (blocks until a
/// value arrives; halts once the stream is finished and drained) or `s.getD()` (halts if empty).
/// Give it to the program as the value a host site publishes, or as a bound variable.
public final class OrcStream: Site, @unchecked Sendable {
    private struct Shared {
        var buffer: [OrcValue] = []
        var finished = false
        var mailbox: Mailbox?
    }

    private let shared = Mutex(Shared())
    /// Reads waiting for a value; touched only on the interpreter thread.
    private var waiting: [SiteCall] = []

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

    private func get(_ call: SiteCall, blocking: Bool) -> SiteOutcome {
        let (value, finished) = shared.withLock { state -> (OrcValue?, Bool) in
            state.mailbox = call.interpreter.mailbox
            return (state.buffer.isEmpty ? nil : state.buffer.removeFirst(), state.finished)
        }
        if let value { return .publish(value) }
        if finished || !blocking { return .halt }
        waiting.append(call)
        call.interpreter.pendingExternal += 1
        let interpreter = call.interpreter
        call.onKill { interpreter.pendingExternal -= 1 }
        return .pending(quiescent: false)
    }

    /// Hands buffered values to waiting reads (interpreter thread).
    func deliver(in interpreter: Interpreter) {
        while let call = waiting.first {
            guard call.isWaiting else { waiting.removeFirst(); continue }
            let (value, finished) = shared.withLock { state -> (OrcValue?, Bool) in
                (state.buffer.isEmpty ? nil : state.buffer.removeFirst(), state.finished)
            }
            if let value {
                waiting.removeFirst()
                interpreter.pendingExternal -= 1
                call.publish(value)
            } else if finished {
                waiting.removeFirst()
                interpreter.pendingExternal -= 1
                call.halt()
            } else {
                return
            }
        }
    }
}
