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
