import Foundation
import Synchronization

/// One execution of an `OrcProgram`, on a thread of its own (a large stack, so that dropping
/// deep structures is safe). Events arrive through `OrcRunEvents`; `kill()` stops it;
/// `outcome()` waits for the end.
public final class OrcRun: Sendable {
    private let completion = Completion()
    private let mailbox: Mailbox

    /// Starts running the program.
    /// - Parameters:
    ///   - host: a value for each of the program's `hostNames` (use `OrcValue.hostSite` for
    ///     sites, `OrcValue(plain:)` for data, an `OrcStream` for notifications).
    ///   - virtualTime: `Rwait` jumps instead of sleeping when nothing else can run (the output is
    ///     the same whenever no real-time behaviour is observable; `Rtime` reports virtual ms).
    ///   - limits: resource limits; exceeding one kills the run (`.limitExceeded`).
    public init(program: OrcProgram, host: [String: OrcValue] = [:], virtualTime: Bool = false,
                limits: OrcRunLimits = OrcRunLimits(), events: OrcRunEvents) {
        let hostValues = program.hostNames.map { name in
            host[name] ?? .site(UnsupportedImport(name: name, className: "host value `\(name)` (not provided)"))
        }
        let interpreter = Interpreter(events: events, hostValues: hostValues, virtualTime: virtualTime, limits: limits)
        mailbox = interpreter.mailbox
        let root = UncheckedBox((interpreter, program.root))
        let thread = Thread { [completion] in
            let (interpreter, node) = root.value
            completion.finish(interpreter.run(node))
        }
        thread.stackSize = 512 << 20
        thread.name = "orc-run"
        thread.start()
    }

    /// Kills every running part of the program (pending site calls are cancelled).
    public func kill() { mailbox.post(.kill) }

    /// Waits until the run ends.
    public func outcome() async -> OrcRunOutcome { await completion.wait() }
}

/// The end of a run, awaited by any number of callers.
private final class Completion: Sendable {
    private struct State {
        var outcome: OrcRunOutcome?
        var waiters: [CheckedContinuation<OrcRunOutcome, Never>] = []
    }

    private let state = Mutex(State())

    func finish(_ outcome: OrcRunOutcome) {
        let waiters = state.withLock { state in
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    func wait() async -> OrcRunOutcome {
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> OrcRunOutcome? in
                if let outcome = state.outcome { return outcome }
                state.waiters.append(continuation)
                return nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }
}

/// Moves a non-Sendable value to the run's thread, which becomes its only user.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
