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
        interpreter.reportError(error, by: token)
        interpreter.wake(self, .halt)
    }

    /// Called when the caller is killed while this call is pending.
    func onKill(_ cancel: @escaping () -> Void) { token.cancelPending = cancel }
}
