import Foundation
import Synchronization

/// One execution of an `OrcProgram`, on a thread of its own (a large stack, so that dropping
/// deep structures is safe). Events arrive through `OrcRunEvents`; `kill()` stops it;
/// `outcome()` waits for the end.
public final class OrcRun: Sendable {
    private let completion = OrcRunCompletion()
    private let mailbox: Mailbox

    /// Starts running the program.
    /// - Parameters:
    ///   - host: a value for each of the program's `hostNames` (use `OrcValue.hostSite` for
    ///     sites, `OrcValue(plain:)` for data, an `OrcStream` for notifications).
    ///   - virtualTime: `Rwait` jumps instead of sleeping when nothing else can run (the output is
    ///     the same whenever no real-time behaviour is observable; `Rtime` reports virtual ms).
    ///   - limits: resource limits; exceeding one kills the run (`.limitExceeded`).
    ///   The host values move to the run's thread (`sending`): keep no reference to them.
    public init(program: OrcProgram, host: sending [String: OrcValue] = [:], virtualTime: Bool = false,
                limits: OrcRunLimits = OrcRunLimits(), events: OrcRunEvents) {
        let hostValues = program.hostNames.map { name in
            host[name] ?? .site(UnsupportedImport(name: name, className: "host value `\(name)` (not provided)"))
        }
        let mailbox = Mailbox()
        self.mailbox = mailbox
        let root = program.root
        // The host values are handed over to the run's thread, where the interpreter is made; neither leaves it.
        let handOff = Mutex<[OrcValue]?>(hostValues)
        let thread = Thread { [completion] in
            let hostValues = handOff.withLock { $0.take() } ?? []
            let interpreter = Interpreter(events: events, hostValues: hostValues, virtualTime: virtualTime,
                                          limits: limits, mailbox: mailbox)
            let outcome = interpreter.run(root)
            interpreter.events.finished(outcome)
            completion.finish(outcome)
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
