/// What a native site returns when called.
enum SiteOutcome {
    case publish(OrcValue)
    /// Halt silently (e.g. `Ift(false)`, `getD()` on an empty channel).
    case halt
    case error(OrcRuntimeError)
    /// The site will answer later through the `SiteCall`. `quiescent` waits (channel get, semaphore
    /// acquire, `Vawait`) let virtual clocks advance; others (timers, host calls) do not.
    case pending(quiescent: Bool)
}

/// One call of a site by a token: the site answers through it, at once or later.
struct SiteCall {
    unowned let interpreter: Interpreter
    let token: Token
    let generation: Int

    /// The caller is still waiting for this call (not killed, not answered).
    var isWaiting: Bool {
        guard token.generation == generation, case .blocked = token.state else { return false }
        return true
    }

    func publish(_ value: OrcValue) { interpreter.wake(self, .publish(value)) }
    func halt() { interpreter.wake(self, .halt) }
    func fail(_ error: OrcRuntimeError) {
        guard isWaiting else { return }
        interpreter.reportError(error)
        interpreter.wake(self, .halt)
    }

    /// Called when the caller is killed while this call is pending.
    func onKill(_ cancel: @escaping () -> Void) { token.cancelPending = cancel }
}

/// A native service callable from Orc (operators, `Println`, `Channel`, …) or a value with
/// members (`c.put`). Subclasses override `call` and/or `member`.
public class Site: @unchecked Sendable {
    public let name: String

    init(name: String) { self.name = name }

    func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        .error(.uncallable(.site(self)))
    }

    func member(_ name: String) -> OrcValue? { nil }

    /// When the site is the `unapply` of a call pattern: the extracted value(s), or nil (no match).
    func extract(_ value: OrcValue) -> OrcValue? { nil }
}

